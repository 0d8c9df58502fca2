"""`tierledger user`: accounts opened, listed, their passwords changed, disabled —
and the sessions a change ends, a running server's included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from cli.main import app
from domain.codes import NodeCode
from infrastructure.accounts import AccountStore, Lockout
from infrastructure.sessions import SessionStore
from tests.cli.conftest import NODE

if TYPE_CHECKING:
    from tests.cli.conftest import Cli

PASSWORD = "correct horse battery"


def user(cli: Cli, *args: str, stdin: str = "", code: int = 0) -> tuple[str, str]:
    result = cli.runner.invoke(app, ["user", *args], env=cli.env, input=stdin)
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return result.stdout, result.stderr


def test_an_account_is_added_with_a_password_from_stdin_and_listed(cli: Cli) -> None:
    out, _ = user(cli, "add", NODE, "王秀英", "--role", "clerk", "--password-stdin",
                  stdin=PASSWORD + "\n")  # fmt: skip
    assert out == "added 王秀英 (clerk)\n"
    listed, _ = user(cli, "list", NODE, "--format", "json")
    [entry] = json.loads(listed)
    assert (entry["name"], entry["role"], entry["disabled_at"]) == (
        "王秀英", "clerk", None,
    )  # fmt: skip
    assert "password_hash" not in entry
    accounts = AccountStore(cli.store.node_dir(NodeCode(NODE)) / "users.json")
    assert accounts.sign_in("王秀英", PASSWORD, Lockout()).role == "clerk"


def test_the_password_is_asked_twice(cli: Cli) -> None:
    user(cli, "add", NODE, "李建国", "--role", "auditor",
         stdin=f"{PASSWORD}\n{PASSWORD}\n")  # fmt: skip
    user(cli, "add", NODE, "张敏", "--role", "auditor",
                  stdin=f"{PASSWORD}\nsomething else\n", code=1)  # fmt: skip
    listed, _ = user(cli, "list", NODE, "--format", "json")
    assert [e["name"] for e in json.loads(listed)] == ["李建国"]


def test_a_bad_role_or_password_is_one_line_and_exit_2(cli: Cli) -> None:
    _, err = user(cli, "add", NODE, "王秀英", "--role", "peer", "--password-stdin",
                  stdin=PASSWORD, code=2)  # fmt: skip
    assert err == "error[invalid-field]: role must be one of clerk, auditor\n"
    _, err = user(cli, "add", NODE, "王秀英", "--role", "clerk", "--password-stdin",
                  stdin="short\n", code=2)  # fmt: skip
    assert err == "error[invalid-field]: a password has 10 to 256 characters\n"


def test_passwd_and_disable_end_the_accounts_sessions(cli: Cli) -> None:
    user(cli, "add", NODE, "王秀英", "--role", "clerk", "--password-stdin",
         stdin=PASSWORD)  # fmt: skip
    sessions = SessionStore(cli.store.node_dir(NodeCode(NODE)) / "sessions.sqlite")
    accounts = AccountStore(cli.store.node_dir(NodeCode(NODE)) / "users.json")
    stamp = accounts.get("王秀英").stamp  # type: ignore[union-attr]
    sessions.open("王秀英", stamp)
    sessions.open("王秀英", stamp)
    out, _ = user(cli, "passwd", NODE, "王秀英", "--password-stdin",
                  stdin="a brand new password\n")  # fmt: skip
    assert out == "password changed; 2 sessions ended\n"
    assert accounts.sign_in("王秀英", "a brand new password", Lockout()).name
    sessions.open("王秀英", stamp)
    out, _ = user(cli, "disable", NODE, "王秀英")
    assert out == "disabled 王秀英; 1 sessions ended\n"
    listed, _ = user(cli, "list", NODE)
    assert "disabled" in listed


def test_changing_an_unknown_account_is_refused(cli: Cli) -> None:
    _, err = user(cli, "passwd", NODE, "无此人", "--password-stdin", stdin=PASSWORD,
                  code=2)  # fmt: skip
    assert err == "error[invalid-field]: no account named 无此人\n"


def test_errors_are_chinese_in_a_chinese_shell(cli: Cli) -> None:
    env = {**os.environ, **cli.env, "LANGUAGE": "", "LC_ALL": "",
           "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "cli", "user", "add", NODE, "王 秀英", "--role",
         "clerk", "--password-stdin"],
        input=PASSWORD, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == "error[invalid-field]: 账号名称不能包含空格：'王 秀英'\n"

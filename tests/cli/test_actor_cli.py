"""Facts recorded at the command line name the operating-system user who ran it, and
`log`, `show`, `view org` and `audit timeline` show who recorded each fact."""

from __future__ import annotations

import getpass
import json
from typing import TYPE_CHECKING

import pytest

from cli.nodes import CLI_UNKNOWN, cli_actor
from tests.cli.conftest import NODE, Cli
from tests.cli.test_audit_cli import POLICY
from tests.factories import filing

if TYPE_CHECKING:
    from pathlib import Path

GRADE = {"org": "备1", "scheme": "class", "grade": "一类", "effective_on": "2024-11-20"}


def logged(cli: Cli) -> list[dict[str, object]]:
    out, _ = cli("log", NODE, "--format", "json")
    return [json.loads(line) for line in out.splitlines()]


def test_record_import_and_policy_name_the_user_and_every_view_shows_it(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "wangxy")
    cli.record("OrganizationFiled", filing("备1", name="城东舞蹈队"))
    monkeypatch.setattr(getpass, "getuser", lambda: "lijg")
    line = json.dumps({"type": "GradeEvaluated", "data": GRADE}, ensure_ascii=False)
    (tmp_path / "grades.jsonl").write_text(line + "\n", encoding="utf-8")
    cli("import", NODE, str(tmp_path / "grades.jsonl"))
    cli("policy", "adopt", NODE, str(POLICY))
    facts = logged(cli)
    assert [(f["type"], f["actor"]) for f in facts[1:]] == [
        ("OrganizationFiled", "cli:wangxy"),
        ("GradeEvaluated", "cli:lijg"),
        ("PolicyAdopted", "cli:lijg"),
    ]
    table, _ = cli("log", NODE)
    assert "actor" in table
    assert "cli:wangxy" in table
    shown = json.loads(cli("show", NODE, "备1", "--format", "json")[0])
    assert [f["actor"] for f in shown["facts"]] == ["cli:wangxy", "cli:lijg"]
    page = json.loads(cli("view", NODE, "org", "备1", "--format", "json")[0])
    assert [f["actor"] for f in page["timeline"]] == ["cli:wangxy", "cli:lijg"]
    audit = json.loads(cli("audit", "timeline", NODE, "备1", "--format", "json")[0])
    assert [f["actor"] for f in audit["in_effective_order"]] == [
        "cli:wangxy",
        "cli:lijg",
    ]
    out, _ = cli("verify", NODE)
    assert out.startswith("ok: ")


def test_init_names_who_opened_the_ledger(cli: Cli) -> None:
    assert logged(cli)[0]["actor"] == cli_actor()


@pytest.mark.parametrize(
    ("user", "actor"),
    [
        ("wangxy", "cli:wangxy"),
        ("Wang Xiuying", "cli:Wang Xiuying"),
        ("王秀英", "cli:王秀英"),
        ("bad\nname", CLI_UNKNOWN),
        ("x" * 80, CLI_UNKNOWN),
    ],
)
def test_the_command_line_actor_is_the_user_or_unknown(
    monkeypatch: pytest.MonkeyPatch, user: str, actor: str
) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: user)
    assert cli_actor() == actor


def test_a_system_that_names_no_user_records_as_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def nobody() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", nobody)
    assert cli_actor() == CLI_UNKNOWN

"""Issue 19, "Chinese first" at the command line: with ``LANG=zh_CN.UTF-8`` an error
line is Chinese, in another locale English, with the same stable code and exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from domain.uscc import check_character
from sync import bundle, runner
from tests.cli.conftest import Cli
from tests.factories import filing
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from infrastructure.stores import Store

STREET, COMMUNITY = "330211001", "330211001001"
DRIVER = """
import json, sys
from typer.testing import CliRunner
from cli.main import app
runner = CliRunner()
print(json.dumps([
    (result.exit_code, result.stderr)
    for result in (runner.invoke(app, argv) for argv in json.loads(sys.argv[1]))
]))
"""
"""Runs several commands in one process whose locale the test chose, as a shell does
(the CLI takes its language from the environment when it starts)."""


def record(fact_type: str, data: Mapping[str, object]) -> list[str]:
    """``tierledger record`` at the community."""
    return ["record", COMMUNITY, fact_type, "--data", json.dumps(data)]


CASES: dict[str, tuple[list[str], str, str, str]] = {
    "invalid USCC": (
        record("OrganizationRegistered", {"uscc": "51100000500002862A",
                                          "name": "书画协会",
                                          "legal_form": "social_group"}),
        "invalid-uscc",
        "USCC '51100000500002862A': check character should be F, not A",
        "统一社会信用代码 '51100000500002862A'：校验码应为 F，而不是 A",
    ),
    "unknown organization": (
        ["show", COMMUNITY, "备404"],
        "unknown-organization",
        f"organization '备404' is unknown at node {COMMUNITY}",
        f"节点 {COMMUNITY} 没有社会组织 '备404'",
    ),
    "duplicate filing": (
        record("OrganizationFiled", filing("备1", "另一支舞蹈队")),
        "duplicate-filing-number",
        f"filing number 备1 is already used at node {COMMUNITY} by 城东舞蹈队",
        f"备案编号 备1 在节点 {COMMUNITY} 已被 城东舞蹈队 使用",
    ),
    "bad date": (
        record("OrganizationFiled", filing("备2", effective_on="2024-02-30")),
        "invalid-date",
        "effective_on '2024-02-30' is not a real date",
        "effective_on '2024-02-30' 不是真实存在的日期",
    ),
    "negative money": (
        record("SubsidyDecided", {"org": "备1", "program": "日常活动补助",
                                  "period": "2024", "amount": "-3500",
                                  "shares": {"community": "3500"}}),
        "invalid-amount",
        "amount '-3500' is negative",
        "amount '-3500' 为负数",
    ),
    "forged sync batch": (
        ["sync", "import", STREET, "{bundle}"],
        "altered-fact",
        f"{COMMUNITY}/2: hash does not match the content; altered in transit",
        f"{COMMUNITY}/2：哈希与内容不符；在传输途中或发送方处被篡改",
    ),
}  # fmt: skip


@pytest.fixture
def forged(store: Store, tmp_path: Path) -> Path:
    """A street and its community holding one filing, and the community's bundle
    with that filing's name changed after it was hashed (the trailer made to
    match, so only the ingest path can tell)."""
    net = Network(store, [STREET, COMMUNITY])
    net.nodes[COMMUNITY].ledger.record("OrganizationFiled", filing("备1"))
    path = tmp_path / "city-east.bundle"
    runner.export(net.nodes[COMMUNITY], path)
    net.close()
    found = bundle.read(path)
    filed = next(
        f for p in found.pages for f in p["facts"] if f["type"] == "OrganizationFiled"
    )
    filed["payload"]["name"] += "（改）"
    bundle.write(path, found.header, found.pages)
    return path


def in_locale(cli: Cli, lang: str, commands: list[list[str]]) -> list[list[object]]:
    """Exit code and stderr of each command, run in a process of locale ``lang``."""
    quiet = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": lang}
    env = {**os.environ, **cli.env, **quiet}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(commands)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found: list[list[object]] = json.loads(done.stdout)
    return found


def test_an_error_line_is_chinese_in_a_chinese_shell(
    store: Store, forged: Path
) -> None:
    cli = Cli(store)
    commands = [
        [str(forged) if arg == "{bundle}" else arg for arg in argv]
        for argv, *_ in CASES.values()
    ]
    chinese = in_locale(cli, "zh_CN.UTF-8", commands)
    english = in_locale(cli, "en_US.UTF-8", commands)
    for (case, (_, code, in_english, in_chinese)), zh, en in zip(
        CASES.items(), chinese, english, strict=True
    ):
        assert zh[0] == en[0] == 2, (case, zh, en)
        assert str(zh[1]).startswith(f"error[{code}]: {in_chinese}"), (case, zh)
        assert str(en[1]).startswith(f"error[{code}]: {in_english}"), (case, en)
        assert len(str(zh[1]).splitlines()) == 1, (case, zh)


def test_a_chinese_shell_reads_a_warning_in_chinese(store: Store, forged: Path) -> None:
    first17 = "51330211MJ1234560"  # its position 17 fails the organization code
    registered = {
        "uscc": first17 + check_character(first17),
        "name": "书画协会",
        "legal_form": "social_group",
        "effective_on": "2024-05-01",
    }
    ((status, err),) = in_locale(
        Cli(store), "zh_CN.UTF-8", [record("OrganizationRegistered", registered)]
    )
    assert status == 0, err
    assert str(err).startswith("warning: 统一社会信用代码 ")
    assert "组织机构代码校验位（第 17 位）" in str(err)

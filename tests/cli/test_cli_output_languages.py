"""Issue 19, "Chinese first" for what commands print: with ``LANG=zh_CN.UTF-8`` table
headers, titles, status words and summaries are Chinese; in another locale they are
the English they always were; CSV data values stay as stored in both."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.cli.conftest import NODE, Cli
from tests.factories import filing

DRIVER = """
import json, sys
from typer.testing import CliRunner
from cli.main import app
runner = CliRunner()
print(json.dumps([
    (result.exit_code, result.stdout, result.stderr)
    for result in (runner.invoke(app, argv) for argv in json.loads(sys.argv[1]))
]))
"""
"""Runs several commands in one process whose locale the test chose, as a shell does."""

COMMANDS = {
    "registry": ["registry", NODE],
    "show": ["show", NODE, "镇民备2024001号"],
    "log": ["log", NODE],
    "view registry": ["view", NODE, "registry", "--as-of", "2024-12-31"],
    "view org": ["view", NODE, "org", "镇民备2024001号", "--as-of", "2024-12-31"],
    "view rollup": ["view", NODE, "rollup", "--as-of", "2024-12-31"],
    "registry csv": ["view", NODE, "registry", "--as-of", "2024-12-31",
                     "--format", "csv"],
    "reconcile": ["reconcile", NODE, "--as-of", "2024-12-31"],
    "audit verify": ["audit", "verify", NODE],
    "verify": ["verify", NODE],
}  # fmt: skip

CHINESE = {
    "registry": ["名称", "状态", "统一社会信用代码 / 备案编号", "已备案",
                 "一类（分类评定）", "：共 1 个社会组织"],
    "show": ["名称", "已备案", "记录", "序号", "类型", "业务日期", "摘要", "哈希"],
    "log": ["序号", "业务日期", "记录时间（UTC）", "哈希", "OrganizationFiled"],
    "view registry": ["· 截至 2024-12-31", "已备案", "一类（分类评定）", "补助（元）"],
    "view org": ["城东舞蹈队（已备案）", "备案编号", "备案日期", "分类评定等级",
                 "一类（评定单位 " + NODE + "）", "时间线（按生效顺序）"],
    "view rollup": ["区划代码", "合计", "已备案", "一类（分类评定）"],
    "registry csv": ["名称,状态,组织形式", ",filed,", "class:一类"],
    "reconcile": [f"{NODE} 截至 2024-12-31 的核对结果：未发现问题",
                  "0 项错误，0 项待下级核实"],
    "audit verify": [f"{NODE} 所存全部链的审计", "来源节点", "最新序号",
                     "（本节点）", "完好"],
    "verify": [f"ok: 节点 {NODE}，3 条事实，哈希链完整，链头序号 3 "],
}  # fmt: skip
"""What a Chinese shell reads in each command's output."""

ENGLISH = {
    "registry": ["name", "status", "USCC / filing no.", "filed", "class:一类",
                 ": 1 organizations"],
    "show": ["name", "filed", "facts", "seq", "type", "effective_on", "summary",
             "hash"],
    "log": ["seq", "effective_on", "recorded_at", "hash", "OrganizationFiled"],
    "view registry": ["· as of 2024-12-31", "filed", "class:一类",
                      "subsidies (yuan)"],
    "view org": ["城东舞蹈队 (filed)", "filing_number", "filed_on", "grade class",
                 f"一类 by {NODE}", "timeline, in force order"],
    "view rollup": ["code", "total", "filed", "class:一类"],
    "registry csv": ["name,status,legal form", ",filed,", "class:一类"],
    "reconcile": [f"reconciliation of {NODE} as of 2024-12-31: nothing to report",
                  "0 error(s), 0 pending"],
    "audit verify": [f"audit of every chain held at {NODE}", "origin", "head seq",
                     "(own)", "ok"],
    "verify": [f"ok: node {NODE}, 3 facts, chain intact, head seq 3 "],
}  # fmt: skip
"""What any other shell reads: the English the README and scripts rely on."""

IN_CHINESE_ONLY = ["名称", "状态", "已备案", "序号", "哈希", "截至", "合计", "核对"]


@pytest.fixture
def graded(cli: Cli) -> Cli:
    """A community node holding one filed, class-graded organization."""
    cli.record("OrganizationFiled", filing())
    graded: dict[str, object] = {
        "org": "镇民备2024001号",
        "scheme": "class",
        "grade": "一类",
        "effective_on": "2024-11-20",
    }
    cli.record("GradeEvaluated", graded)
    return cli


def in_locale(cli: Cli, lang: str) -> dict[str, str]:
    """Each command's stdout, run in a process of locale ``lang``; all succeed."""
    quiet = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": lang}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(list(COMMANDS.values()))],
        env={**os.environ, **cli.env, **quiet},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    results = json.loads(done.stdout)
    for name, (code, _, stderr) in zip(COMMANDS, results, strict=True):
        assert code == 0, (name, stderr)
    return {name: str(out) for name, (_, out, _) in zip(COMMANDS, results, strict=True)}


def test_a_chinese_shell_reads_headers_titles_and_summaries_in_chinese(
    graded: Cli,
) -> None:
    printed = in_locale(graded, "zh_CN.UTF-8")
    for name, expected in CHINESE.items():
        for text in expected:
            assert text in printed[name], (name, text, printed[name])


def test_another_shell_reads_the_english_it_always_did(graded: Cli) -> None:
    printed = in_locale(graded, "en_US.UTF-8")
    for name, expected in ENGLISH.items():
        for text in expected:
            assert text in printed[name], (name, text, printed[name])
        for word in IN_CHINESE_ONLY:
            assert word not in printed[name], (name, word, printed[name])


def test_csv_data_and_json_keep_their_values_in_every_language(graded: Cli) -> None:
    chinese, english = (
        in_locale(graded, "zh_CN.UTF-8"),
        in_locale(graded, "en_US.UTF-8"),
    )
    zh_rows = chinese["registry csv"].splitlines()
    en_rows = english["registry csv"].splitlines()
    assert zh_rows[0] != en_rows[0]  # headers are for people
    assert zh_rows[1:] == en_rows[1:]  # values are data

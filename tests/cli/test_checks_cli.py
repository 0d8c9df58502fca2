"""What `record` and `import` tell a clerk to check, in the shell's language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from domain.values import today_in_china
from tests.cli.conftest import NODE, Cli
from tests.factories import filing

if TYPE_CHECKING:
    from pathlib import Path


def run_in(
    cli: Cli, lang: str, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`tierledger` in a shell whose locale is ``lang`` (read once, at start)."""
    env = {
        **os.environ,
        **cli.env,
        "LANG": lang,
        "LANGUAGE": "",
        "LC_ALL": "",
        "LC_MESSAGES": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def test_an_unknown_category_is_recorded_with_a_warning_line(cli: Cli) -> None:
    out, err = cli.record("OrganizationFiled", filing("备1", category="广场舞"))
    assert out.startswith("seq 2 ")
    assert err.startswith('warning: category "广场舞" is not one of')
    assert len(err.strip().splitlines()) == 1


def test_an_import_warns_of_each_unknown_category_by_seq(
    cli: Cli, tmp_path: Path
) -> None:
    lines = [
        json.dumps({"type": "OrganizationFiled", "data": data}, ensure_ascii=False)
        for data in (filing("备1"), filing("备2", category="广场舞"))
    ]
    path = tmp_path / "facts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = cli("import", NODE, str(path))
    assert "recorded 2 of 2 facts" in out
    assert err.startswith('warning: seq 3: category "广场舞"')


def test_a_chinese_shell_reads_the_warning_in_chinese(cli: Cli) -> None:
    data = json.dumps(filing("备1", category="广场舞"), ensure_ascii=False)
    done = run_in(
        cli, "zh_CN.UTF-8", "record", NODE, "OrganizationFiled", "--data", data
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("警告：类别“广场舞”不属于")


def test_record_prints_the_date_its_fact_holds(cli: Cli) -> None:
    out, err = cli.record("OrganizationFiled", filing("备1"))
    assert out.splitlines()[0].startswith("seq 2 ")
    assert "effective on 2021-03-01" in out.splitlines()
    assert err == ""


def test_record_flags_a_date_not_given_on_both_streams(cli: Cli) -> None:
    data = {k: v for k, v in filing("备1").items() if k != "effective_on"}
    out, err = cli.record("OrganizationFiled", data)
    today = today_in_china().isoformat()
    assert f"effective on {today} (not given: the day it was recorded)" in out
    assert err.startswith(
        f"warning: effective_on was not given: the fact is dated {today}"
    )


def test_import_refuses_a_line_without_its_date_and_records_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    undated = {k: v for k, v in filing("备2").items() if k != "effective_on"}
    lines = [
        json.dumps({"type": "OrganizationFiled", "data": data}, ensure_ascii=False)
        for data in (filing("备1"), undated)
    ]
    path = tmp_path / "facts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, err = cli("import", NODE, str(path), code=2)
    assert err.startswith(
        "error[missing-field]: line 2: OrganizationFiled needs field effective_on"
    )
    assert json.loads(cli("head", NODE)[0])["seq"] == 1


def test_a_chinese_shell_is_told_of_a_date_not_given_in_chinese(cli: Cli) -> None:
    data = {k: v for k, v in filing("备1").items() if k != "effective_on"}
    done = run_in(
        cli, "zh_CN.UTF-8", "record", NODE, "OrganizationFiled",
        "--data", json.dumps(data, ensure_ascii=False),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    today = today_in_china().isoformat()
    assert done.stderr.startswith("警告：未填写业务日期（effective_on）：已按记录当天")
    assert f"业务日期 {today}（未填写，按记录当天）" in done.stdout
    assert done.stdout.startswith("序号 2 ")

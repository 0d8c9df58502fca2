"""What `record` and `import` tell a clerk to check, in the shell's language."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from cli.main import app
from domain.values import today_in_china
from testdata import seed
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
    assert done.stderr.startswith("warning: 类别“广场舞”不属于")


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
    assert done.stderr.startswith(
        "warning: 未填写业务日期（effective_on）：已按记录当天"
    )
    assert f"业务日期 {today}（未填写，按记录当天）" in done.stdout
    assert done.stdout.startswith("序号 2 ")


def test_data_from_a_file_with_or_without_a_bom(cli: Cli, tmp_path: Path) -> None:
    text = json.dumps(filing("备1"), ensure_ascii=False)
    path = tmp_path / "filing.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())  # as Notepad saves it
    out, _ = cli("record", NODE, "OrganizationFiled", "--data", f"@{path}")
    assert out.startswith("seq 2 ")
    path.write_text(json.dumps(filing("备2"), ensure_ascii=False), encoding="utf-8")
    out, _ = cli("record", NODE, "OrganizationFiled", "--data", f"@{path}")
    assert out.startswith("seq 3 ")


def test_data_from_stdin(cli: Cli) -> None:
    text = json.dumps(filing("备1"), ensure_ascii=False, indent=2)
    result = cli.runner.invoke(
        app, ["record", NODE, "OrganizationFiled", "--data", "-"], env=cli.env,
        input=text.encode(),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("seq 2 ")


def test_a_large_policy_goes_through_a_file(cli: Cli, tmp_path: Path) -> None:
    # Fifty programs, each in its own line, as an office would keep the file.
    policy = seed.policy()
    (program,) = policy["programs"]
    policy["programs"] = [
        {**program, "program": f"{program['program']}（第{n}批）"} for n in range(50)
    ]
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(policy, ensure_ascii=False, indent=2), encoding="utf-8")
    out, _ = cli("record", NODE, "PolicyAdopted", "--data", f"@{path}")
    assert out.startswith("seq 2 ")
    assert "effective on 2023-01-01" in out.splitlines()


@pytest.mark.parametrize(
    ("content", "given", "expected"),
    [
        (None, "@{missing}", "error[invalid-field]: --data @{missing}: no such file"),
        (None, "@{folder}", "is a folder, not a file"),
        (None, "@", "error[invalid-field]: --data @ names no file"),
        (b'{"name": ', "@{file}", "is not JSON: Expecting value at line 1, column 10"),
        (b'{"name": "\xb3\xc7\xb6\xab"}', "@{file}", "is not UTF-8 text (byte 11)"),
        (b"[1, 2]", "@{file}", "must be a JSON object"),
    ],
)
def test_a_bad_data_file_is_one_line_and_exit_2(
    cli: Cli, tmp_path: Path, content: bytes | None, given: str, expected: str
) -> None:
    file = tmp_path / "fact.json"
    if content is not None:
        file.write_bytes(content)
    names = {"missing": tmp_path / "nope.json", "folder": tmp_path, "file": file}
    _, err = cli("record", NODE, "OrganizationFiled", "--data", given.format(**names),
                 code=2)  # fmt: skip
    assert expected.format(**names) in err
    assert len(err.strip().splitlines()) == 1

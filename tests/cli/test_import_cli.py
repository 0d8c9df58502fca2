"""`tierledger import` as a street clerk runs it on the registers the centre keeps."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import openpyxl
import pytest

from tests.cli.conftest import Cli
from tests.infrastructure.spreadsheets.sheets import (
    FILINGS_CSV,
    FILINGS_XLSX,
    SUBSIDIES_XLSX,
)
from tests.service.registers import STREET

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.stores import Store

SETS = ["--set", "period=2024", "--set", "program=社区社会组织日常活动补助"]


@pytest.fixture
def street_cli(sqlite_store: Store) -> Cli:
    runner = Cli(sqlite_store)
    runner("init", STREET)
    return runner


def renamed(tmp_path: Path) -> Path:
    book = openpyxl.load_workbook(FILINGS_XLSX)
    sheet = book.active
    assert sheet is not None
    sheet["B4"], sheet["I5"] = "胜利路社区银龄志愿服务队（更名）", "2024/2/30"
    book.save(tmp_path / "edited.xlsx")
    return tmp_path / "edited.xlsx"


def test_a_register_imports_and_a_second_time_records_nothing(street_cli: Cli) -> None:
    out, _ = street_cli("import", STREET, str(FILINGS_XLSX))
    assert out.splitlines() == [
        "sheet 备案台账: 备案台账 (filings), headers in row 3, 24 data rows",
        "  row 1 skipped: 招宝山街道社区社会组织备案台账",
        "  row 2 skipped: 填报单位：招宝山街道社会组织服务中心 "
        "填报日期：2024年12月31日",
        "  column A (序号) holds row numbers: not imported",
        "  row 28 skipped: 合计 540",
        "recorded 24 of 24 rows (0 already recorded before), head seq 25",
    ]
    out, _ = street_cli("import", STREET, str(FILINGS_CSV))
    assert out.splitlines()[-1] == "nothing new: all 24 rows are already recorded"


def test_a_dry_run_lists_what_would_fail_and_writes_the_errors_workbook(
    street_cli: Cli, tmp_path: Path
) -> None:
    street_cli("import", STREET, str(FILINGS_XLSX))
    errors = tmp_path / "错误.xlsx"
    out, _ = street_cli(
        "import", STREET, str(renamed(tmp_path)), "--dry-run", "--errors", str(errors),
        code=2,
    )  # fmt: skip
    assert (
        "conflict     │ B 组织名称: recorded before (seq 2) with other content" in out
    )
    assert "error        │ I: 备案日期 '2024/2/30' is not a real date" in out
    assert (
        "dry run: of 24 rows, 0 would be recorded, 22 are already held, 1 conflict "
        "with facts held, 1 have errors; nothing was recorded"
    ) in out
    assert f"2 refused row(s) marked in {errors}" in out
    sheet = openpyxl.load_workbook(errors).active
    assert sheet is not None
    assert sheet["K3"].value == "Problems"
    log, _ = street_cli("log", STREET, "--format", "json")
    assert len(log.splitlines()) == 25


def test_a_refused_import_in_chinese(street_cli: Cli, tmp_path: Path) -> None:
    # The command line takes its language from the shell when it starts: a process.
    street_cli("import", STREET, str(FILINGS_XLSX))
    env = {**os.environ, **street_cli.env, "LANG": "zh_CN.UTF-8", "LC_ALL": ""}
    env.pop("LANGUAGE", None)
    command = [sys.executable, "-c", "from cli.main import run; run()"]
    done = subprocess.run(
        [*command, "import", STREET, str(renamed(tmp_path))],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    out = done.stdout
    assert "工作表 备案台账：备案台账（filings），表头在第 3 行，数据 24 行" in out
    assert "I：备案日期 '2024/2/30' 不是真实存在的日期" in out
    assert "此前已登记（序号 seq 2），但组织名称不同" in out
    assert out.splitlines()[-1] == (
        "未做任何登记：24 行中有 2 行无法登记；"
        "请改正（--errors 文件.xlsx 可标出这些行），"
        "或用 --partial 只登记正确的行"
    )


def test_subsidies_with_values_for_the_whole_file_as_json(street_cli: Cli) -> None:
    street_cli("import", STREET, str(FILINGS_XLSX))
    args = ["import", STREET, str(SUBSIDIES_XLSX), *SETS, "--format", "json"]
    _, err = street_cli(*args, code=2)
    assert "error[bad-headers]: sheet 经费补助 looks like a 经费补助 register" in err
    out, _ = street_cli(*args, "--set", "effective_on=2024-12-05")
    document = json.loads(out)
    assert document["counts"] == {"record": 18, "held": 0, "conflict": 0, "error": 0}
    assert document["sheets"][0]["notes"][-1] == "row 21 skipped: 合计 =SUM(E3:E20)"
    assert document["rows"][0] == {
        "sheet": "经费补助",
        "row": 3,
        "status": "record",
        "seq": 26,
        "columns": [],
        "messages": [],
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "effective_on=2024-13-01"], "--set effective_on: effective_on"),
        (["--set", "colour=red"], "--set colour=…: no register has field colour"),
        (["--map", "单位=title"], "--map 单位=title: no register has field title"),
        (["--kind", "members"], "--kind members is not a kind of register"),
        (["--set", "period"], "--set period: write it as NAME=VALUE"),
    ],
)
def test_options_are_checked(street_cli: Cli, args: list[str], message: str) -> None:
    _, err = street_cli("import", STREET, str(FILINGS_XLSX), *args, code=2)
    assert message in err
    assert len(err.splitlines()) == 1


def test_what_is_no_register_gets_one_line(street_cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(b"%PDF-1.7\n")
    _, err = street_cli("import", STREET, str(path), code=2)
    assert err == (
        "error[unreadable-file]: the file is a PDF document, not a register: import "
        "an Excel workbook (.xlsx), a CSV file or JSON lines\n"
    )


def test_the_row_limit_is_a_setting(street_cli: Cli) -> None:
    street_cli.env["TIERLEDGER_IMPORT_MAX_ROWS"] = "20"
    _, err = street_cli("import", STREET, str(FILINGS_XLSX), code=2)
    assert "a sheet reaches row 21; at most 20 rows" in err


def test_json_lines_import_as_before_and_preview(
    street_cli: Cli, tmp_path: Path
) -> None:
    line = {"type": "OrganizationFiled", "data": {
        "filing_number": "备1", "name": "城东舞蹈队", "category": "文体活动",
        "effective_on": "2024-03-01"}}  # fmt: skip
    path = tmp_path / "facts.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    out, _ = street_cli("import", STREET, str(path), "--dry-run")
    assert "of 1 rows, 1 would be recorded" in out
    out, _ = street_cli("import", STREET, str(path))
    assert out.startswith("recorded 1 of 1 facts")
    _, err = street_cli("import", STREET, str(path), "--set", "period=2024", code=2)
    assert "a JSONL file names every field itself" in err

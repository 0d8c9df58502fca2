"""Rows as a register holds them: numbered from row 1, cells from column A, however
the sheet is placed; a formula without its result is marked; limits hold."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import openpyxl
import pytest

from infrastructure.spreadsheets.cells import NoValue
from infrastructure.spreadsheets.errors import FileTooLargeError
from infrastructure.spreadsheets.limits import Limits
from infrastructure.spreadsheets.reading import open_register
from infrastructure.spreadsheets.sniff import sniff
from tests.infrastructure.spreadsheets.sheets import SUBSIDIES_XLSX, write_xlsx

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.spreadsheets.reading import Register


def read(path: Path, limits: Limits | None = None) -> Register:
    limits = limits or Limits()
    with open_register(path, sniff(path, limits), limits) as register:
        for sheet in register.sheets:
            sheet.merged = [*sheet.merged]
            rows = list(sheet.rows())
            sheet.rows = lambda rows=rows: iter(rows)  # type: ignore[misc]
        return register


def test_a_sheet_placed_at_b3_reads_from_a1(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["B3"], sheet["C3"], sheet["C5"] = "组织名称", "备案日期", date(2024, 3, 1)
    book.save(tmp_path / "b3.xlsx")
    rows = list(read(tmp_path / "b3.xlsx").sheets[0].rows())
    assert rows[2][:3] == ["", "组织名称", "备案日期"]
    assert rows[4][2] == date(2024, 3, 1)


def test_hidden_sheets_are_not_read_and_said_so(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "h.xlsx", [["a"]], more={"代码表": [["b"]]})
    book = openpyxl.load_workbook(path)
    book["代码表"].sheet_state = "hidden"
    book.save(path)
    register = read(path)
    assert [s.name for s in register.sheets] == ["Sheet1"]
    assert [str(t) for t in register.skipped] == ["sheet 代码表 is hidden: not read"]


def test_a_formula_without_its_result_reads_as_no_value() -> None:
    rows = list(read(SUBSIDIES_XLSX).sheets[0].rows())
    assert rows[20][0] == "合计"
    assert isinstance(rows[20][4], NoValue)
    assert rows[20][4].formula == "=SUM(E3:E20)"
    assert rows[2][4] == 2500  # a plain number cell


@pytest.mark.parametrize("delimiter", ["\t", ";", ","])
def test_csv_delimiters(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "r.csv"
    path.write_text(delimiter.join(["组织名称", "备案编号", "备注"]) + "\n甲,乙\n")
    assert next(read(path).sheets[0].rows()) == ["组织名称", "备案编号", "备注"]


def test_a_csv_of_a_million_rows_is_refused_at_the_stated_limit(tmp_path: Path) -> None:
    path = tmp_path / "million.csv"
    path.write_bytes(b"name,number\n" + b"x,1\n" * 1_000_000)
    limits = Limits()
    with open_register(path, sniff(path, limits), limits) as register:
        rows = register.sheets[0].rows()
        with pytest.raises(FileTooLargeError, match=f"at most {limits.max_rows} rows"):
            for _ in rows:
                pass


def test_a_sheet_beyond_the_row_limit_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "long.xlsx", [[n] for n in range(60)])
    with pytest.raises(FileTooLargeError, match=r"reaches row \d+; at most 50 rows"):
        read(path, Limits(max_rows=50))


def test_a_csv_row_beyond_the_column_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text("a,b\n" + ",".join("x" * 100) + "\n")
    with pytest.raises(FileTooLargeError, match="100 columns"):
        read(path)

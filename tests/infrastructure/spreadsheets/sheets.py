"""Registers written for tests: workbooks with openpyxl, CSV in a chosen encoding."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl

if TYPE_CHECKING:
    from collections.abc import Sequence

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "registers"
FILINGS_XLSX = SAMPLES / "zhaobaoshan-filings-2024.xlsx"
FILINGS_CSV = SAMPLES / "zhaobaoshan-filings-2024-gbk.csv"
SUBSIDIES_XLSX = SAMPLES / "zhaobaoshan-subsidies-2024.xlsx"
SUBSIDY_SETTINGS = {
    "period": "2024",
    "program": "社区社会组织日常活动补助",
    "effective_on": "2024-12-05",
}
"""What the sample subsidy register lacks, given for the whole file."""
FILING_HEADERS: list[object] = [
    "序号",
    "组织名称",
    "备案编号",
    "组织类别",
    "所属社区",
    "备案日期",
]


def filing_row(n: int, name: str | None = None, **cells: object) -> list[object]:
    """A data row under FILING_HEADERS."""
    row: list[object] = [
        n,
        name or f"城东社区志愿服务队{n}",
        f"城东备2024-{n:03d}",
        "公益慈善",
        "城东社区",
        "2024-03-01",
    ]
    for index, value in cells.items():
        row[FILING_HEADERS.index(index)] = value
    return row


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[object]],
    *,
    title: str = "Sheet1",
    merged: Sequence[str] = (),
    more: dict[str, Sequence[Sequence[object]]] | None = None,
) -> Path:
    """A workbook of one sheet (and ``more`` sheets by title)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merged:
        sheet.merge_cells(cells)
    for name, extra in (more or {}).items():
        other = book.create_sheet(name)
        for row in extra:
            other.append(list(row))
    book.save(path)
    return path


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], encoding: str = "utf-8"
) -> Path:
    """A CSV file as Excel writes one (CRLF line ends)."""
    lines = [",".join(str(cell) for cell in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path

"""Exports written for Excel: XLSX streamed by openpyxl's write-only mode, CSV in
UTF-8 with a byte-order mark (so Excel on Chinese Windows reads it as UTF-8).

A sheet is a title row, a header row (frozen), its rows and, where it has money or
counts, a 合计 row of values (not formulas: a formula has no value until Excel
computes it, and the importer refuses cells without one). Money is integer fen in
the rows and yuan with two decimals in the file, converted exactly.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import chain, islice
from typing import IO, TYPE_CHECKING, Literal

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as WriteOnlyCellType
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from openpyxl.cell.cell import Cell as SheetCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Kind = Literal["text", "int", "yuan", "date"]
Written = WriteOnlyCellType | str | int | None
"""What a row of a write-only sheet holds: a styled cell or a plain value."""
Value = str | int | None
TOTAL_LABEL = "合计"
YUAN_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
SAMPLED = 500
"""Rows read ahead to fit a sheet's column widths (write-only sheets take widths
before their rows)."""
WIDEST = 60
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TITLE = re.compile(r"[\\/*?:\[\]]")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)


@dataclass(frozen=True)
class Column:
    """A column: its header and what its cells hold; ``total``: summed in 合计."""

    header: str
    kind: Kind = "text"
    total: bool = False


@dataclass
class Sheet:
    """One table to write: tab name, title line, columns and rows (fen for yuan)."""

    name: str
    title: str
    columns: list[Column]
    rows: Iterable[list[Value]]
    totals: bool = False
    notes: list[str] = field(default_factory=list)
    """Lines written under the table (e.g. what the numbers count)."""


def write_xlsx(sheets: Iterable[Sheet], out: IO[bytes]) -> None:
    """The sheets as one workbook, streamed row by row into ``out``."""
    book = openpyxl.Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book.create_sheet(sheet_name(sheet.name)), sheet)
    book.save(out)


def write_csv(sheet: Sheet, out: IO[bytes]) -> None:
    """One table as CSV, UTF-8 with a BOM; yuan as ``1234.50``, no title line."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([c.header for c in sheet.columns])
    sums = [0] * len(sheet.columns)
    for row in sheet.rows:
        writer.writerow(
            [_csv_value(c, v) for c, v in zip(sheet.columns, row, strict=True)]
        )
        _add(sums, sheet.columns, row)
    if sheet.totals:
        total = _total_row(sheet.columns, sums)
        writer.writerow(
            [_csv_value(c, v) for c, v in zip(sheet.columns, total, strict=True)]
        )
    text.flush()
    text.detach()


def sheet_name(name: str) -> str:
    """A tab name Excel accepts: no ``\\ / * ? : [ ]``, at most 31 characters."""
    return _TITLE.sub("_", name)[:31] or "Sheet"


def display_width(text: str) -> int:
    """Columns a text takes in Excel: Chinese (wide) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _write_sheet(target: WriteOnlyWorksheet, sheet: Sheet) -> None:
    rows = iter(sheet.rows)
    ahead = list(islice(rows, SAMPLED))
    dimensions = getattr(target, "column_dimensions")  # noqa: B009  # stubs lack it
    for index, width in enumerate(_widths(sheet.columns, ahead), start=1):
        dimensions[get_column_letter(index)].width = width
    target.freeze_panes = "A3"
    target.append([_styled(target, sheet.title, TITLE_FONT)])
    target.append([_styled(target, c.header, BOLD, wrap=True) for c in sheet.columns])
    sums = [0] * len(sheet.columns)
    kinds = [c.kind for c in sheet.columns]
    for row in chain(ahead, rows):
        target.append([_cell(target, v, k) for k, v in zip(kinds, row, strict=True)])
        _add(sums, sheet.columns, row)
    if sheet.totals:
        total = _total_row(sheet.columns, sums)
        target.append(
            [
                _styled(target, v, BOLD, kind=k)
                for k, v in zip(kinds, total, strict=True)
            ]
        )
    for note in sheet.notes:
        target.append([_cell(target, note, "text")])


def _widths(columns: list[Column], rows: list[list[Value]]) -> Iterator[float]:
    for index, column in enumerate(columns):
        shown = [display_width(column.header)] + [
            display_width(_shown(column, row[index])) for row in rows
        ]
        yield min(max(shown) + 2, WIDEST)


def _shown(column: Column, value: Value) -> str:
    if value is None:
        return ""
    if column.kind == "yuan" and isinstance(value, int):
        return f"{Decimal(value) / 100:,.2f}"
    return str(value)


def _styled(
    target: WriteOnlyWorksheet,
    value: Value,
    font: Font,
    *,
    kind: Kind = "text",
    wrap: bool = False,
) -> SheetCell:
    """A cell with a font (a title, a header, a total)."""
    found = _cell(target, value, kind)
    cell = found if isinstance(found, WriteOnlyCellType) else _text_cell(target, found)
    cell.font = font
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def _cell(target: WriteOnlyWorksheet, value: Value, kind: Kind) -> Written:
    """What a row holds for ``value``: a plain value where one will do (far cheaper
    than a cell object), a cell with its number format for money and dates."""
    if value is None or value == "":
        return None
    if kind == "yuan" and isinstance(value, int):
        cell = WriteOnlyCell(target, Decimal(value) / 100)  # type: ignore[arg-type]  # stubs too narrow
        cell.number_format = YUAN_FORMAT
        return cell
    if kind == "date" and isinstance(value, str):
        cell = WriteOnlyCell(target, date.fromisoformat(value))  # type: ignore[arg-type]
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, int):
        return value
    text = _ILLEGAL.sub("", value)
    return _text_cell(target, text) if text.startswith("=") else text


def _text_cell(target: WriteOnlyWorksheet, value: str | int | None) -> SheetCell:
    """A cell that stays text (a name reading =… is no formula)."""
    cell = WriteOnlyCell(target, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _csv_value(column: Column, value: Value) -> str:
    if value is None:
        return ""
    if column.kind == "yuan" and isinstance(value, int):
        return f"{Decimal(value) / 100:.2f}"
    return str(value)


def _add(sums: list[int], columns: list[Column], row: list[Value]) -> None:
    for index, column in enumerate(columns):
        value = row[index]
        if column.total and isinstance(value, int):
            sums[index] += value


def _total_row(columns: list[Column], sums: list[int]) -> list[Value]:
    """The 合计 row: each summed column's total, the label in the first column."""
    row: list[Value] = [sums[i] if c.total else None for i, c in enumerate(columns)]
    if not columns[0].total:
        row[0] = TOTAL_LABEL
    return row

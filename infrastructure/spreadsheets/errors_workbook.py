"""The register written back for its clerk: every row as read, a message column
beside the rows that could not be recorded, and their bad cells filled light red."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from infrastructure.files import private_file
from infrastructure.spreadsheets.cells import NoValue

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.cell.cell import Cell as SheetCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from infrastructure.spreadsheets.cells import Cell
    from infrastructure.spreadsheets.reading import SheetSource

BAD = PatternFill("solid", fgColor="FFC7CE")
"""Excel's own light red for bad cells."""
BAD_FONT = Font(color="9C0006")
HEADER_FONT = Font(bold=True)
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TITLE = re.compile(r"[\\/*?:\[\]]")


@dataclass
class MarkedSheet:
    """A sheet to write back: its rows, its header row, and the rows to mark."""

    source: SheetSource
    header_row: int
    width: int
    marks: dict[int, tuple[str, set[int]]] = field(default_factory=dict)
    """Row number → (message, columns from 0 to fill)."""


def write_errors_workbook(path: Path, sheets: list[MarkedSheet], label: str) -> None:
    """Write ``sheets`` to a new workbook at ``path`` (owner-only: registers hold
    personal data), the message column headed ``label``."""
    book = openpyxl.Workbook(write_only=True)
    for sheet in sheets:
        target = book.create_sheet(_TITLE.sub("_", sheet.source.name)[:31] or "Sheet")
        _write_sheet(target, sheet, label)
    with private_file(path).open("wb") as out:
        book.save(out)


def _write_sheet(target: WriteOnlyWorksheet, sheet: MarkedSheet, label: str) -> None:
    # Write-only sheets take widths and merges before their rows (the stubs lack
    # both attributes).
    widths = getattr(target, "column_dimensions")  # noqa: B009
    widths[get_column_letter(sheet.width + 1)].width = 60
    merges = getattr(target, "merged_cells")  # noqa: B009
    for r0, c0, r1, c1 in sheet.source.merged:  # the title row stays one cell
        merges.add(
            f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"
        )
    for number, row in enumerate(sheet.source.rows(), start=1):
        cells = [_cell(target, value) for value in row]
        cells += [_cell(target, None) for _ in range(sheet.width - len(cells))]
        if number == sheet.header_row:
            note = _cell(target, label)
            note.font = HEADER_FONT
            cells.append(note)
        elif number in sheet.marks:
            message, bad = sheet.marks[number]
            for index in bad:
                if index < len(cells):
                    cells[index].fill, cells[index].font = BAD, BAD_FONT
            note = _cell(target, message)
            note.font = BAD_FONT
            cells.append(note)
        target.append(cells)


def _cell(target: WriteOnlyWorksheet, value: Cell) -> SheetCell:
    if isinstance(value, NoValue):
        value = value.formula
    if isinstance(value, str):
        cell = WriteOnlyCell(target, _ILLEGAL.sub("", value))
        cell.data_type = "s"  # text stays text: a cell reading =… is no formula here
        return cell
    cell = WriteOnlyCell(target, value)  # type: ignore[arg-type]  # stubs too narrow
    if (isinstance(value, datetime) and value.time() == time()) or (
        isinstance(value, date) and not isinstance(value, datetime)
    ):
        cell.number_format = "yyyy-mm-dd"
    return cell

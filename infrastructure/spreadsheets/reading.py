"""Reading a register's rows: the sheets of an XLSX workbook, or a CSV file.

Workbooks are read with python-calamine (Rust, fast) once the archive has been
checked (``archive``); when a sheet holds formulas saved without their results, openpyxl
(read-only) locates those cells, which then read as ``NoValue``. CSV is read in the
encoding ``sniff`` found, with the delimiter its first lines use.
"""

from __future__ import annotations

import contextlib
import csv
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import openpyxl
import python_calamine

from domain.messages import Text
from infrastructure.spreadsheets.archive import (
    check_workbook,
    encrypted_workbook,
    too_many_rows,
)
from infrastructure.spreadsheets.cells import Cell, NoValue
from infrastructure.spreadsheets.errors import FileTooLargeError, UnreadableFileError
from infrastructure.spreadsheets.limits import MAX_COLUMNS
from infrastructure.spreadsheets.sniff import Format, Sniffed

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from infrastructure.spreadsheets.limits import Limits

Row = list[Cell]
Merged = tuple[int, int, int, int]
"""A merged range: first row, first column, last row, last column (0-based)."""
_DELIMITERS = (",", "\t", ";")


@dataclass
class SheetSource:
    """One sheet of a register: its name and its rows, read afresh on each call."""

    name: str
    rows: Callable[[], Iterator[Row]]
    """Every row from the sheet's first (row 1), cells from column A."""
    merged: list[Merged] = field(default_factory=list)


@dataclass
class Register:
    """A register file opened for reading: its sheets, and what was not read."""

    format: Format
    sheets: list[SheetSource]
    skipped: list[Text]
    close: Callable[[], None] = lambda: None


@contextlib.contextmanager
def open_register(
    path: Path, sniffed: Sniffed, limits: Limits, name: str | None = None
) -> Iterator[Register]:
    """The register in ``path`` (XLSX or CSV), its size checked against ``limits``;
    a CSV's one sheet is called ``name`` (by default the file's own)."""
    if sniffed.format is Format.XLSX:
        register = _workbook(path, limits)
    else:
        csv_name = name or path.stem
        sheet = SheetSource(csv_name, lambda: _csv_rows(path, sniffed, limits))
        register = Register(Format.CSV, [sheet], [])
    try:
        yield register
    finally:
        register.close()


def _workbook(path: Path, limits: Limits) -> Register:
    without_results = check_workbook(path, limits)
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise encrypted_workbook() from None
    except python_calamine.CalamineError as error:
        raise _unreadable(error) from None
    sheets: list[SheetSource] = []
    skipped: list[Text] = []
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        if meta.visible != python_calamine.SheetVisibleEnum.Visible:
            skipped.append(Text("sheet {sheet} is hidden: not read", sheet=meta.name))
            continue
        sheets.append(_sheet(book, meta.name, path, without_results, limits))
    return Register(Format.XLSX, sheets, skipped, book.close)


def _sheet(
    book: python_calamine.CalamineWorkbook,
    name: str,
    path: Path,
    without_results: bool,
    limits: Limits,
) -> SheetSource:
    try:
        sheet = book.get_sheet_by_name(name)
    except python_calamine.CalamineError as error:
        raise _unreadable(error) from None
    end = sheet.end
    if end is not None and end[0] + 1 > limits.max_rows:
        raise too_many_rows(end[0] + 1, limits)
    if end is not None and end[1] + 1 > MAX_COLUMNS:
        raise _too_wide(end[1] + 1)
    formulas = _formulas(path, name) if without_results else {}
    left = sheet.start[1] if sheet.start else 0
    merged = [(a, b, c, d) for (a, b), (c, d) in sheet.merged_cell_ranges or ()]

    loaded = [sheet]  # read once for the checks: the first pass uses it

    def rows() -> Iterator[Row]:
        source = loaded.pop() if loaded else book.get_sheet_by_name(name)
        # calamine gives rows from row 1 but cells from the first used column.
        for index, row in enumerate(source.iter_rows()):
            cells: Row = [*[""] * left, *row] if left else list(row)
            if formulas:
                _mark_without_results(index + 1, cells, formulas)
            yield cells

    return SheetSource(name, rows, merged)


def _formulas(path: Path, name: str) -> dict[tuple[int, int], str]:
    """The formula cells of one sheet: (row, column) from 1 → the formula."""
    found: dict[tuple[int, int], str] = {}
    # From a file object: openpyxl refuses a path without an Excel extension, and
    # the web keeps an upload under a token.
    with (
        path.open("rb") as file,
        contextlib.closing(openpyxl.load_workbook(file, read_only=True)) as book,
    ):
        for row in book[name].iter_rows():
            for cell in row:
                row_number, column = (
                    getattr(cell, "row", None),
                    getattr(cell, "column", None),
                )
                if getattr(cell, "data_type", None) == "f" and row_number and column:
                    found[(row_number, column)] = str(cell.value)
    return found


def _mark_without_results(
    number: int, cells: Row, formulas: dict[tuple[int, int], str]
) -> None:
    for column, value in enumerate(cells, start=1):
        formula = formulas.get((number, column))
        if formula is not None and value == "":
            cells[column - 1] = NoValue(formula)


def _csv_rows(path: Path, sniffed: Sniffed, limits: Limits) -> Iterator[Row]:
    with path.open(encoding=sniffed.encoding, newline="") as f:
        delimiter = _delimiter(f.read(65536))
        f.seek(0)
        reader = csv.reader(f, delimiter=delimiter)
        number = 0
        try:
            for number, row in enumerate(reader, start=1):
                if number > limits.max_rows:
                    raise too_many_rows(number, limits)
                if len(row) > MAX_COLUMNS:
                    raise _too_wide(len(row))
                yield list(row)
        except csv.Error as error:
            raise UnreadableFileError(
                Text(
                    "row {row} of the CSV file cannot be read: {reason}",
                    row=number + 1,
                    reason=str(error),
                )
            ) from None


def _delimiter(sample: str) -> str:
    lines = sample.lstrip("\ufeff").splitlines()[:20]
    counts = {d: sum(line.count(d) for line in lines) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _too_wide(columns: int) -> FileTooLargeError:
    return FileTooLargeError(
        Text(
            "a sheet has {columns} columns; at most {limit} can be imported",
            columns=columns,
            limit=MAX_COLUMNS,
        )
    )


def _unreadable(error: Exception) -> UnreadableFileError:
    return UnreadableFileError(
        Text(
            "the workbook cannot be read ({reason}): open it in Excel or WPS and "
            "save it again",
            reason=str(error)[:120],
        )
    )

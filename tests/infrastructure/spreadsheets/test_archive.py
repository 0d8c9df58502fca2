"""A workbook's archive is judged before anything decompresses it: a zip bomb, an
entry lying about its size, cells placed far away, are refused unread."""

from __future__ import annotations

import struct
import zipfile
from typing import TYPE_CHECKING

import openpyxl
import pytest

from infrastructure.spreadsheets.archive import check_workbook
from infrastructure.spreadsheets.errors import FileTooLargeError, UnreadableFileError
from infrastructure.spreadsheets.limits import Limits
from tests.infrastructure.spreadsheets.sheets import FILINGS_XLSX, SUBSIDIES_XLSX

if TYPE_CHECKING:
    from pathlib import Path

LIMITS = Limits()
SHEET = "xl/worksheets/sheet1.xml"


def rewrite(source: Path, target: Path, parts: dict[str, bytes]) -> Path:
    """``source`` with some parts replaced (or added)."""
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info, old.read(info))
        for name, data in parts.items():
            new.writestr(name, data)
    return target


def test_a_zip_bomb_is_refused_before_decompression(tmp_path: Path) -> None:
    # 64 MiB of spaces compress a thousandfold: the ratio alone refuses it.
    bomb = rewrite(FILINGS_XLSX, tmp_path / "bomb.xlsx", {SHEET: b" " * (64 << 20)})
    assert bomb.stat().st_size < 200_000
    with pytest.raises(FileTooLargeError, match="zip bomb"):
        check_workbook(bomb, LIMITS)


def test_the_declared_size_is_limited_before_decompression(tmp_path: Path) -> None:
    with pytest.raises(FileTooLargeError, match="MAX_UNCOMPRESSED_BYTES"):
        check_workbook(FILINGS_XLSX, Limits(max_uncompressed_bytes=10_000))


def test_an_entry_lying_about_its_size_is_refused(tmp_path: Path) -> None:
    path = rewrite(FILINGS_XLSX, tmp_path / "liar.xlsx", {SHEET: b"<x/>" * 500_000})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(SHEET)
    # Declare 1 000 bytes where 2 000 000 follow, in both headers.
    struct.pack_into("<I", data, info.header_offset + 22, 1000)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(SHEET)] != SHEET.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1000)
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableFileError, match="damaged"):
        check_workbook(path, LIMITS)


@pytest.mark.parametrize(("cell", "what"), [("CA1", "column BZ"), ("A200000", "row")])
def test_cells_far_away_are_refused_before_reading(
    tmp_path: Path, cell: str, what: str
) -> None:
    # Two cells make a reader allocate the whole grid between them.
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet[cell] = "组织名称", "x"
    book.save(tmp_path / "far.xlsx")
    with pytest.raises(FileTooLargeError, match=what):
        check_workbook(tmp_path / "far.xlsx", LIMITS)


def test_formulas_saved_without_results_are_noticed(tmp_path: Path) -> None:
    assert check_workbook(SUBSIDIES_XLSX, LIMITS)
    assert not check_workbook(FILINGS_XLSX, LIMITS)
    with zipfile.ZipFile(SUBSIDIES_XLSX) as archive:
        sheet = archive.read(SHEET)
    calculated = sheet.replace(b"</f><v /></c>", b"</f><v>45000</v></c>")
    path = rewrite(SUBSIDIES_XLSX, tmp_path / "saved.xlsx", {SHEET: calculated})
    assert not check_workbook(path, LIMITS)


def test_a_damaged_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    path.write_bytes(FILINGS_XLSX.read_bytes()[:3000])
    with pytest.raises(UnreadableFileError, match="damaged"):
        check_workbook(path, LIMITS)

"""A file is what its content says, whatever its name; text is UTF-8 (BOM or not) or
GB18030; a file that is no register is refused, naming what it is."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from infrastructure.spreadsheets.errors import (
    EncryptedWorkbookError,
    FileTooLargeError,
    UnreadableFileError,
)
from infrastructure.spreadsheets.limits import Limits
from infrastructure.spreadsheets.reading import open_register
from infrastructure.spreadsheets.sniff import Format, sniff
from tests.infrastructure.spreadsheets.sheets import FILINGS_CSV, FILINGS_XLSX

if TYPE_CHECKING:
    from pathlib import Path

LIMITS = Limits()
ROWS = "组织名称,备案编号\r\n㒲氏家族文化研究会,备2024-001\r\n"
"""㒲 (U+34B2) is in GB18030 but not in GBK."""


def rows_of(path: Path) -> list[list[object]]:
    sniffed = sniff(path, LIMITS)
    with open_register(path, sniffed, LIMITS) as register:
        return [list(row) for row in register.sheets[0].rows()]


def test_a_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    renamed = tmp_path / "台账.csv"
    renamed.write_bytes(FILINGS_XLSX.read_bytes())
    assert sniff(renamed, LIMITS).format is Format.XLSX


def test_json_lines_named_anything_are_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "facts.txt"
    path.write_text('{"type": "OrganizationFiled", "data": {}}\n', encoding="utf-8")
    assert sniff(path, LIMITS).format is Format.JSONL


def test_excel_on_chinese_windows_writes_gbk_read_as_gb18030() -> None:
    sniffed = sniff(FILINGS_CSV, LIMITS)
    assert (sniffed.format, sniffed.encoding) == (Format.CSV, "gb18030")
    assert rows_of(FILINGS_CSV)[1][1] == "胜利路社区银龄志愿服务队"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("gb18030", b""), ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b"")],
)
def test_names_gbk_lacks_survive_every_encoding(
    tmp_path: Path, encoding: str, bom: bytes
) -> None:
    path = tmp_path / "台账.csv"
    text = ROWS.replace(",", "\t") if encoding == "utf-16" else ROWS  # Unicode text
    path.write_bytes(bom + text.encode(encoding))
    with pytest.raises(UnicodeEncodeError):
        "㒲".encode("gbk")
    assert rows_of(path) == [
        ["组织名称", "备案编号"],
        ["㒲氏家族文化研究会", "备2024-001"],
    ]


def test_text_in_neither_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name\r\n\xff\xfe\xfd\x80\r\n")
    with pytest.raises(UnreadableFileError, match="neither UTF-8 nor GB18030"):
        sniff(path, LIMITS)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\x00\x01\x02\x03binary", "a binary file"),
    ],
)
def test_what_is_no_register_is_named(
    tmp_path: Path, content: bytes, named: str
) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError, match=named):
        sniff(path, LIMITS)


@pytest.mark.parametrize(
    ("parts", "named"),
    [
        ({"word/document.xml": "<w/>"}, "a Word document"),
        ({"content.xml": "<o/>", "mimetype": "x"}, "OpenDocument"),
        ({"notes.txt": "hello"}, "a zip archive"),
    ],
)
def test_a_zip_that_is_no_workbook_is_named(
    tmp_path: Path, parts: dict[str, str], named: str
) -> None:
    path = tmp_path / "register.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    with (
        pytest.raises(UnreadableFileError, match=named),
        open_register(path, sniff(path, LIMITS), LIMITS),
    ):
        pass


def test_a_password_protected_workbook_is_refused_as_such(tmp_path: Path) -> None:
    encrypted = io.BytesIO()
    with FILINGS_XLSX.open("rb") as plain:
        OOXMLFile(plain).encrypt("招宝山2024", encrypted)
    path = tmp_path / "备案台账.xlsx"
    path.write_bytes(encrypted.getvalue())
    with pytest.raises(EncryptedWorkbookError, match="password"):
        sniff(path, LIMITS)


def test_an_old_excel_file_is_refused_asking_for_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "备案台账.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(UnreadableFileError, match=r"\.xlsx"):
        sniff(path, LIMITS)


def test_empty_and_oversized_files_are_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"  \r\n")
    with pytest.raises(UnreadableFileError, match="empty"):
        sniff(empty, LIMITS)
    with pytest.raises(FileTooLargeError, match="MAX_FILE_BYTES"):
        sniff(FILINGS_CSV, Limits(max_file_bytes=100))

"""What a file is, by its content (its name's extension may say otherwise)."""

from __future__ import annotations

import codecs
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.messages import Text
from infrastructure.spreadsheets.archive import CHUNK, encrypted_workbook
from infrastructure.spreadsheets.errors import FileTooLargeError, UnreadableFileError

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.spreadsheets.limits import Limits

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""An OLE compound file: an old .xls, or an encrypted .xlsx inside its wrapper."""
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
_BINARY = {
    b"%PDF": Text("a PDF document"),
    b"\x89PNG": Text("a PNG image"),
    b"\xff\xd8\xff": Text("a JPEG image"),
    b"GIF8": Text("a GIF image"),
    b"Rar!": Text("a RAR archive"),
    b"7z\xbc\xaf": Text("a 7-Zip archive"),
    b"\x1f\x8b": Text("a gzip archive"),
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Format(enum.Enum):
    """The kinds of file ``tierledger import`` reads."""

    XLSX = "xlsx"
    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True)
class Sniffed:
    """A file's format and, for text, its encoding."""

    format: Format
    encoding: str = "utf-8"


def sniff(path: Path, limits: Limits) -> Sniffed:
    """The file's format by its first bytes; a text file's encoding: a BOM's, else
    UTF-8 if every byte decodes so, else GB18030 (what Excel on Chinese Windows
    writes — GBK's superset, with every character of real names)."""
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise FileTooLargeError(
            Text(
                "the file has {size} bytes; at most {limit} can be imported "
                "(setting TIERLEDGER_IMPORT_MAX_FILE_BYTES)",
                size=size,
                limit=limits.max_file_bytes,
            )
        )
    with path.open("rb") as f:
        head = f.read(8192)
    if not head.strip():
        raise UnreadableFileError(Text("the file is empty"))
    if head.startswith(_ZIP):
        return Sniffed(Format.XLSX)
    if head.startswith(_OLE):
        raise _ole_error(path)
    encoding = _encoding(path, head)
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")
    return Sniffed(Format.JSONL if text.startswith("{") else Format.CSV, encoding)


def _ole_error(path: Path) -> Exception:
    with path.open("rb") as f:
        tail = b""
        while chunk := f.read(CHUNK):
            if _ENCRYPTED_PACKAGE in tail + chunk:
                return encrypted_workbook()
            tail = chunk[-len(_ENCRYPTED_PACKAGE) :]
    return UnreadableFileError(
        Text(
            "the file is an Excel 97-2003 workbook (.xls) or another old Office "
            "file: open it in Excel or WPS and save it as an Excel workbook (.xlsx)"
        )
    )


def _encoding(path: Path, head: bytes) -> str:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    for magic, kind in _BINARY.items():
        if head.startswith(magic):
            raise _not_a_register(kind)
    if b"\x00" in head:
        raise _not_a_register(Text("a binary file"))
    if _decodes(path, "utf-8"):
        return "utf-8"
    if _decodes(path, "gb18030"):
        return "gb18030"
    raise UnreadableFileError(
        Text(
            "the file is text in neither UTF-8 nor GB18030 (GBK): save the register "
            "from Excel as .xlsx, or as CSV UTF-8"
        )
    )


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as f:
            while chunk := f.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _not_a_register(kind: Text) -> UnreadableFileError:
    return UnreadableFileError(
        Text(
            "the file is {kind}, not a register: import an Excel workbook (.xlsx), "
            "a CSV file or JSON lines",
            kind=kind,
        )
    )

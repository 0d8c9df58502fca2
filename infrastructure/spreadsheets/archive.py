"""A workbook's archive, checked before any reader decompresses it.

An XLSX file is a zip of XML parts. Before the reader opens it, the archive's own
directory must stay within the limits (entries, declared sizes, compression ratio):
a zip bomb is refused unread. Then every entry is read once through ``zipfile``, which
stops at the declared size and checks the CRC, so an entry lying about its size is
refused too. Worksheets are looked at on the way for two things the reader would not
say: cells placed beyond the limits (the reader allocates the whole grid up to the
farthest cell) and formulas saved without their results.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from typing import TYPE_CHECKING

from domain.messages import Text
from infrastructure.spreadsheets.errors import (
    EncryptedWorkbookError,
    FileTooLargeError,
    UnreadableFileError,
)
from infrastructure.spreadsheets.limits import (
    MAX_COLUMNS,
    MAX_ZIP_ENTRIES,
    RATIO_CHECKED_FROM,
)

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.spreadsheets.limits import Limits

CHUNK = 1 << 20
_OVERLAP = 64
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_REF = re.compile(rb'r="([A-Z]{1,3})([0-9]+)"')
"""A cell's reference (rows have digits only; ranges are ``ref=``, ``sqref=``)."""
_V = rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
_NO_RESULT = re.compile(rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*" + _V)
"""A formula element closing its cell with no value, or an empty one."""
_OTHER_ZIPS = {
    "word/document.xml": Text("a Word document"),
    "ppt/presentation.xml": Text("a PowerPoint presentation"),
    "xl/workbook.bin": Text("an Excel binary workbook (.xlsb)"),
    "content.xml": Text("an OpenDocument file (.ods)"),
}


def check_workbook(path: Path, limits: Limits) -> bool:
    """Refuse an archive beyond ``limits`` or damaged; True if a worksheet holds a
    formula saved without its result (its cells are then located by the reader)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_directory(infos, limits)
            return _read_entries(archive, infos, limits)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError):
        raise UnreadableFileError(
            Text(
                "the file is a damaged zip archive, not a workbook Excel could open: "
                "open it in Excel or WPS and save it again"
            )
        ) from None


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    names = {info.filename.lower() for info in infos}
    if "xl/workbook.xml" not in names:
        kind = next(
            (text for name, text in _OTHER_ZIPS.items() if name in names),
            Text("a zip archive"),
        )
        raise UnreadableFileError(
            Text(
                "the file is {kind}, not an Excel workbook: save the register as "
                ".xlsx or .csv",
                kind=kind,
            )
        )
    if len(infos) > MAX_ZIP_ENTRIES:
        raise FileTooLargeError(
            Text(
                "the workbook's archive holds {count} parts; at most {limit}",
                count=len(infos),
                limit=MAX_ZIP_ENTRIES,
            )
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise EncryptedWorkbookError(_encrypted())
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        raise FileTooLargeError(
            Text(
                "the workbook would decompress to {size} bytes; at most {limit} "
                "(setting TIERLEDGER_IMPORT_MAX_UNCOMPRESSED_BYTES)",
                size=total,
                limit=limits.max_uncompressed_bytes,
            )
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECKED_FROM and ratio > limits.max_zip_ratio:
            raise FileTooLargeError(
                Text(
                    "the workbook's part {name} would grow {ratio} times when "
                    "decompressed; at most {limit} (a zip bomb?): nothing was read",
                    name=info.filename[:60],
                    ratio=int(ratio),
                    limit=limits.max_zip_ratio,
                )
            )


def _read_entries(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits
) -> bool:
    # Only references beyond column BZ or with as many digits as the row limit can
    # be too far: a plain search finds those few, the rest are not looked at.
    digits = len(str(limits.max_rows))
    far = re.compile(rb'r="(?:[A-Z]{3}|[C-Z][A-Z]|[A-Z]{1,3}[0-9]{%d})' % digits)
    without_results = False
    for info in infos:
        sheet = _WORKSHEET.fullmatch(info.filename) is not None
        with archive.open(info) as entry:
            tail = b""
            while chunk := entry.read(CHUNK):
                if sheet:
                    window = tail + chunk
                    for match in far.finditer(window):
                        _check_reference(window, match.start(), limits)
                    without_results = without_results or _no_result(window)
                    tail = window[-_OVERLAP:]
    return without_results


def _check_reference(window: bytes, start: int, limits: Limits) -> None:
    ref = _REF.match(window, start)
    if ref is None:
        return  # cut by the chunk's end: whole in the next window
    if len(ref[1]) > 2 or (len(ref[1]) == 2 and ref[1] > b"BZ"):
        raise FileTooLargeError(
            Text(
                "a sheet has cells beyond column BZ; at most {limit} columns can be "
                "imported",
                limit=MAX_COLUMNS,
            )
        )
    if int(ref[2]) > limits.max_rows:
        raise FileTooLargeError(_too_many_rows(int(ref[2]), limits))


def _no_result(window: bytes) -> bool:
    # Most sheets hold no formula at all: a plain search rules them out quickly.
    if b"<f" not in window and b":f" not in window:
        return False
    return _NO_RESULT.search(window) is not None


def _too_many_rows(rows: int, limits: Limits) -> Text:
    return Text(
        "a sheet reaches row {rows}; at most {limit} rows can be imported at once "
        "(setting TIERLEDGER_IMPORT_MAX_ROWS): split the register",
        rows=rows,
        limit=limits.max_rows,
    )


def too_many_rows(rows: int, limits: Limits) -> FileTooLargeError:
    """The error of a sheet or CSV file longer than ``limits.max_rows``."""
    return FileTooLargeError(_too_many_rows(rows, limits))


def _encrypted() -> Text:
    return Text(
        "the workbook is protected by a password: its cells cannot be read; save "
        "a copy without the password (Excel: File > Info > Protect Workbook > "
        "Encrypt with Password, cleared) and import that"
    )


def encrypted_workbook() -> EncryptedWorkbookError:
    """The error of a password-protected workbook."""
    return EncryptedWorkbookError(_encrypted())

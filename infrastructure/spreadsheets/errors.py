"""Errors of files that cannot be read as a register: nothing of them is recorded.

Each names what is wrong with the file as a whole (its kind, its size, its headers);
problems of single cells are reported per row instead (``cells``).
"""

from __future__ import annotations

from domain.errors import InputError


class UnreadableFileError(InputError):
    """Not a spreadsheet tierledger reads: another kind of file, or a damaged one."""

    code = "unreadable-file"


class EncryptedWorkbookError(InputError):
    """A workbook protected by a password: its cells cannot be read."""

    code = "encrypted-workbook"


class FileTooLargeError(InputError):
    """A file beyond one of the import limits (``Limits``), checked before reading."""

    code = "file-too-large"


class HeadersError(InputError):
    """No header row, or headers that do not say which column holds what."""

    code = "bad-headers"

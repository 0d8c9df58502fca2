"""How much an import reads at most: checked before a file is decompressed or read."""

from __future__ import annotations

from dataclasses import dataclass

MAX_COLUMNS = 78
"""Columns A–BZ: a register has a few dozen; the archive check refuses cells beyond,
so a tiny file cannot make the reader allocate a vast empty grid."""
MAX_ZIP_ENTRIES = 10_000
RATIO_CHECKED_FROM = 1 << 20
"""Entries smaller than 1 MiB may compress as well as they like: too small to hurt."""


@dataclass(frozen=True)
class Limits:
    """Import limits (settings ``TIERLEDGER_IMPORT_MAX_*``; defaults documented in the
    README's import section)."""

    max_rows: int = 100_000
    """Rows of one sheet or CSV file, title and header rows included."""
    max_file_bytes: int = 50 * 1024 * 1024
    """Size of the file as given."""
    max_uncompressed_bytes: int = 256 * 1024 * 1024
    """Sum of a workbook's entries once decompressed, as its archive declares them
    (and as they turn out: reading stops at the declared size)."""
    max_zip_ratio: int = 100
    """Decompressed / compressed size of any entry of 1 MiB or more."""

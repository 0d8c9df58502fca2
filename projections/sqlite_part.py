"""A SQLite rebuild on both cores: some tables filled beside the view's transaction.

SQLite runs a statement on one core, and a rebuild is bound by reading and parsing
fact documents. So while the view's own transaction fills the identities, grades,
changes, arrivals and policies, a second connection, in a thread (SQLite releases the
GIL), fills the subsidies (``projections.view.PARTS``) into a scratch file from the
same ledger positions (about half the work each); the view then copies those rows in,
inside its one transaction. The scratch file is throw-away: no journal, no syncs.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from projections.view import PARTS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

COPIES = [f"INSERT INTO {name} SELECT * FROM part.{name}" for name in PARTS]
"""Copy the scratch file's rows into the view (attached there as ``part``)."""


def fill_parts(
    scratch: Path, ledger_uri: str, statements: Sequence[str], params: dict[str, Any]
) -> None:
    """Create the tables in ``scratch`` and fill them from the ledger: CREATE and
    INSERT statements in turn (run in a thread: the connection is its own)."""
    db = sqlite3.connect(scratch, isolation_level=None, uri=True)
    try:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("ATTACH DATABASE ? AS ledger", (ledger_uri,))
        db.execute("BEGIN")
        for statement in statements:
            db.execute(statement, params)
        db.execute("COMMIT")
    finally:
        db.close()

"""The views of a node on SQLite: a ``views.sqlite`` file beside the ledger's.

The view's connections attach the ledger's file read-only, so the projection's
``INSERT ... SELECT`` reads the log in the same statement that fills the view; a
rebuild writes only to the views file and never blocks the ledger's writers.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from projections.extract import (
    Dialect,
    changes_statement,
    extract_statements,
)
from projections.tables import TABLES
from projections.view import (
    TRACKING_NAME,
    VIEW_TABLES,
    LedgerView,
    ViewTransaction,
    create_statements,
    index_names,
    stale_indexes,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from eventsourcing.persistence import Tracking
    from eventsourcing.sqlite import SQLiteCursor

    from projections.tables import Row, Table

NAMES = {name: name for name in VIEW_TABLES}
ROW_ID = "INTEGER"
"""SQLite's ``INTEGER PRIMARY KEY`` is the table's own rowid: no second b-tree."""
DIALECT = Dialect(
    document="CAST(state AS TEXT)",
    position="rowid",
    events="ledger.stored_events",
    postgres=False,
)
_EXTRACT = extract_statements(DIALECT, NAMES)
_CHANGES = changes_statement(DIALECT)
_NO_SECURE_DELETE = "PRAGMA secure_delete = OFF"
"""Debian's SQLite zeroes every freed page (``SECURE_DELETE``): dropping a
million-row view would rewrite it whole. Views hold no personal data to wipe."""
_INDEXES_HELD = (
    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
    f"AND tbl_name IN ({', '.join(repr(t.name) for t in TABLES)})"
)
_INSERT = {
    t.name: f"INSERT INTO {t.name} VALUES ({', '.join('?' * len(t.all_columns))})"
    for t in TABLES
}


class SQLiteViewTransaction(ViewTransaction):
    """A transaction on the views file, the ledger's attached."""

    def __init__(self, cursor: SQLiteCursor, view: SQLiteLedgerView) -> None:
        self.cursor, self.view = cursor, view

    def last_position(self) -> int:
        self.cursor.execute("SELECT MAX(rowid) FROM ledger.stored_events")
        return int(self.cursor.fetchone()[0] or 0)

    def extract(self, after: int, last: int, own: object) -> Iterator[None]:
        params = {"after": after, "last": last, "own": _hex(own)}
        for statement in _EXTRACT:
            self.cursor.execute(statement, params)
            yield

    def changes(self, after: int, last: int) -> list[tuple[int, bytes]]:
        self.cursor.execute(_CHANGES, {"after": after, "last": last})
        return [(row[0], bytes(row[1])) for row in self.cursor.fetchall()]

    def fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        self.cursor.execute(sql.format(**NAMES), params)
        return [tuple(row) for row in self.cursor.fetchall()]

    def execute(self, sql: str, params: dict[str, Any]) -> None:
        self.cursor.execute(sql.format(**NAMES), params)

    def insert(self, table: Table, row: Row) -> None:
        self.cursor.execute(_INSERT[table.name], row)

    def close_version(self, table: Table, row_id: int, until: int) -> None:
        update = f"UPDATE {table.name} SET until_pos = ? WHERE id = ?"
        self.cursor.execute(update, (until, row_id))

    def create_indexes(self) -> None:
        self.cursor.execute(_INDEXES_HELD)
        for name in stale_indexes(row[0] for row in self.cursor.fetchall()):
            self.cursor.execute(f"DROP INDEX {name}")
        for name, table, columns in index_names():
            self.cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"
            )

    def track(self, tracking: Tracking) -> None:
        self.view._insert_tracking(self.cursor, tracking)


class SQLiteLedgerView(SQLiteTrackingRecorder, LedgerView):
    """The views in their own SQLite file, the ledger's file attached read-only."""

    ledger_uri = ""

    @classmethod
    def open(cls, path: Path, ledger: Path) -> SQLiteLedgerView:
        """The view stored at ``path`` of the ledger stored at ``ledger``."""
        view = cls(SQLiteDatastore(str(path), lock_timeout=10))
        view.ledger_uri = f"file:{ledger}?mode=ro"
        view.create_table()
        return view

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            *create_statements(NAMES, ROW_ID),
        ]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[ViewTransaction]:
        """A transaction that commits when the block ends without an error."""
        with self.datastore.get_connection(commit=True) as conn:
            raw = conn._sqlite_conn  # ATTACH must run outside any transaction
            attached = {row[1] for row in raw.execute("PRAGMA database_list")}
            if "ledger" not in attached:
                raw.execute("ATTACH DATABASE ? AS ledger", (self.ledger_uri,))
            raw.execute(_NO_SECURE_DELETE)
            with conn.transaction(commit=True) as cursor:
                yield SQLiteViewTransaction(cursor, self)

    def fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Rows of one query."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql.format(**NAMES), params)
            return [tuple(row) for row in c.fetchall()]

    def clear(self) -> None:
        """Forget every row and the tracking position; drop the secondary indexes."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(_NO_SECURE_DELETE)
            for name in NAMES:  # dropping a table is far faster than emptying it
                c.execute(f"DROP TABLE IF EXISTS {name}")
            for statement in create_statements(NAMES, ROW_ID):
                c.execute(statement)
            c.execute(
                "DELETE FROM tracking WHERE application_name = ?", [TRACKING_NAME]
            )

    def close(self) -> None:
        """Close the file's connections."""
        self.datastore.close()


def _hex(journal_id: object) -> str:
    hex_ = getattr(journal_id, "hex", None)
    return str(hex_ if hex_ is not None else journal_id)

"""The views of a node on SQLite: a ``views.sqlite`` file beside the ledger's.

The view's connections attach the ledger's file read-only, so the projection's
``INSERT ... SELECT`` reads the log in the same statement that fills the view; a
rebuild writes only to the views file and never blocks the ledger's writers.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

from projections.chain_status import create_statement
from projections.extract import (
    Dialect,
    changes_statement,
    extract_statements,
    rarer_facts,
)
from projections.sqlite_part import COPIES, fill_parts
from projections.tables import GRADES, SUBSIDIES, TABLES
from projections.view import (
    FILLED,
    PARTS,
    TRACKING_NAME,
    VIEW_TABLES,
    LedgerView,
    ViewTransaction,
    create_statements,
    index_names,
    index_statement,
    stale_indexes,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

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
_CHANGES = changes_statement(DIALECT, NAMES)
_NO_SECURE_DELETE = "PRAGMA secure_delete = OFF"
"""Debian's SQLite zeroes every freed page (``SECURE_DELETE``): dropping a
million-row view would rewrite it whole. Views hold no personal data to wipe."""
_SORT_THREADS = f"PRAGMA threads = {min(4, os.cpu_count() or 1)}"
"""Building an index sorts on every core (SQLite's default is one)."""
_SYNC_AT_CHECKPOINTS = "PRAGMA synchronous = NORMAL"
"""A view's commit need not reach the disk before it returns: a power cut may lose
the last steps, never half of one (rows and tracking share the WAL frame), and the
next run redoes them."""
_INDEXES_HELD = (
    "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
    f"AND tbl_name IN ({', '.join(repr(t.name) for t in TABLES)})"
)
_CREATE = dict(zip(VIEW_TABLES, create_statements(NAMES, ROW_ID), strict=True))
_PART_STATEMENTS = [
    statement
    for name, insert in zip(FILLED, _EXTRACT, strict=True)
    if name in PARTS
    for statement in (_CREATE[name], insert)
]
"""What the second connection runs in a rebuild (``sqlite_part``)."""
_FEW = "temp.rebuild_few"
"""A rebuild's copy of the log's rarer facts: one pass over the log finds them, and
the identities, changes and policies are read from it instead of a pass each."""
_COPY_FEW = (
    f"CREATE TEMP TABLE {_FEW} (id INTEGER PRIMARY KEY, "
    "originator_id, originator_version, topic, state)",
    f"INSERT INTO {_FEW} SELECT rowid, originator_id, originator_version, topic, "
    "state FROM ledger.stored_events WHERE rowid > :after AND rowid <= :last "
    f"AND {rarer_facts()}",
)
_FROM_LOG = (GRADES.name, SUBSIDIES.name, "view_arrivals")
"""What a rebuild reads from the log itself (arrivals: by its index of this
node's own facts, whatever their kind)."""
_REBUILD_EXTRACT = {
    name: whole if name in _FROM_LOG else few
    for name, whole, few in zip(
        FILLED,
        _EXTRACT,
        extract_statements(replace(DIALECT, events=_FEW), NAMES),
        strict=True,
    )
}
_INSERT = {
    t.name: f"INSERT INTO {t.name} VALUES ({', '.join('?' * len(t.all_columns))})"
    for t in TABLES
}


class SQLiteViewTransaction(ViewTransaction):
    """A transaction on the views file, the ledger's attached (and, in a rebuild, a
    scratch file where a second connection fills one table: ``sqlite_part``)."""

    def __init__(
        self, cursor: SQLiteCursor, view: SQLiteLedgerView, scratch: Path | None = None
    ) -> None:
        self.cursor, self.view, self.scratch = cursor, view, scratch

    def last_position(self) -> int:
        self.cursor.execute("SELECT MAX(rowid) FROM ledger.stored_events")
        return int(self.cursor.fetchone()[0] or 0)

    def extract(self, after: int, last: int, own: object) -> Iterator[None]:
        params = {"after": after, "last": last, "own": _hex(own)}
        if self.scratch is None:
            for statement in _EXTRACT:
                self.cursor.execute(statement, params)
                yield
            return
        args = (self.scratch, self.view.ledger_uri, _PART_STATEMENTS, params)
        with ThreadPoolExecutor(max_workers=1) as beside:
            parts = beside.submit(fill_parts, *args)
            for statement in _COPY_FEW:
                self.cursor.execute(statement, params)
            for name, statement in _REBUILD_EXTRACT.items():
                if name not in PARTS:
                    self.cursor.execute(statement, params)
                    yield
            self.cursor.execute(f"DROP TABLE {_FEW}")
            parts.result()
        for copy in COPIES:
            self.cursor.execute(copy)
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
            self.cursor.execute(index_statement(name, table, columns))

    def track(self, tracking: Tracking) -> None:
        self.view._insert_tracking(self.cursor, tracking)


class SQLiteLedgerView(SQLiteTrackingRecorder, LedgerView):
    """The views in their own SQLite file, the ledger's file attached read-only."""

    ledger_uri = ""
    path = Path("views.sqlite")

    @classmethod
    def open(cls, path: Path, ledger: Path) -> SQLiteLedgerView:
        """The view stored at ``path`` of the ledger stored at ``ledger``."""
        view = cls(SQLiteDatastore(str(path), lock_timeout=10))
        view.ledger_uri, view.path = f"file:{ledger}?mode=ro", path
        view.create_table()
        return view

    def construct_create_table_statements(self) -> list[str]:
        return [
            *super().construct_create_table_statements(),
            *create_statements(NAMES, ROW_ID),
            create_statement(self.status_table),
        ]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[ViewTransaction]:
        """A transaction that commits when the block ends without an error."""
        with self._transaction(None) as txn:
            yield txn

    @contextlib.contextmanager
    def rebuild_transaction(self) -> Iterator[ViewTransaction]:
        """A transaction whose extraction uses both cores (``sqlite_part``)."""
        scratch = self.path.with_name(f"{self.path.name}.rebuild-{os.getpid()}")
        scratch.unlink(missing_ok=True)
        try:
            with self._transaction(scratch) as txn:
                yield txn
        finally:
            scratch.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _transaction(self, scratch: Path | None) -> Iterator[ViewTransaction]:
        with self.datastore.get_connection(commit=True) as conn:
            raw = conn._sqlite_conn  # ATTACH must run outside any transaction
            attached = {row[1] for row in raw.execute("PRAGMA database_list")}
            if "ledger" not in attached:
                raw.execute("ATTACH DATABASE ? AS ledger", (self.ledger_uri,))
            if scratch is not None:
                raw.execute("ATTACH DATABASE ? AS part", (str(scratch),))
            raw.execute(_NO_SECURE_DELETE)
            raw.execute(_SYNC_AT_CHECKPOINTS)
            raw.execute(_SORT_THREADS)
            try:
                with conn.transaction(commit=True) as cursor:
                    yield SQLiteViewTransaction(cursor, self, scratch)
            finally:
                if scratch is not None:
                    raw.execute("DETACH DATABASE part")

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

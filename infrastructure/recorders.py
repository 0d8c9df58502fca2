"""The library's recorders, tuned for the ledger's saves on SQLite and PostgreSQL.

Selected with ``PERSISTENCE_MODULE=infrastructure.recorders:LedgerSQLiteFactory`` or
``...:LedgerPostgresFactory`` (``infrastructure.stores`` does it). Same tables, same
statements' effects, same transactions: only how rows reach the driver differs.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresFactory,
    PostgresProcessRecorder,
)
from eventsourcing.sqlite import (
    SQLiteAggregateRecorder,
    SQLiteFactory,
    SQLiteProcessRecorder,
)
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from infrastructure import request_log, save_function
from infrastructure.open_saves import (
    PostgresOpenSave,
    SQLiteOpenSave,
    binary_insert_statement,
    composite_rows,
    notify_statement,
    text_id,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from uuid import UUID

    from eventsourcing.persistence import AggregateRecorder, StoredEvent, Tracking
    from eventsourcing.sqlite import SQLiteCursor
    from psycopg import Cursor
    from psycopg.rows import DictRow


INSERT_CHUNK = 1000
"""Rows per insert statement on PostgreSQL (a save's statements commit together)."""


class SnapshotRecorder(PostgresAggregateRecorder):
    """The library's aggregate recorder (snapshots), inserting in binary."""

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        statement = binary_insert_statement(self, returning=False)
        curs.execute(statement, (composite_rows(self, stored_events),))


class HeadTrackingRecorder(PostgresProcessRecorder):
    """Records the journal's head with its events: no extra round trip, binary rows.

    The library fetches the tracking upsert's RETURNING row to detect a position
    that did not advance, which forces a pipeline sync per save. The ledger needs no
    such check: the events' primary key (originator_id, originator_version) already
    refuses a repeated seq in the same transaction, so the head can only advance.
    """

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """The library's insert, except that any error inside rolls the whole save
        back: the library catches it to spare psycopg a pipeline warning, leaves the
        transaction block as if all went well, and so commits the statements sent
        before it (an import cut in the middle)."""
        tracking: Tracking | None = kwargs.get("tracking")
        if stored_events and len(stored_events) <= INSERT_CHUNK:
            return self._save_in_one_statement(
                stored_events, tracking, kwargs.get("requests", ())
            )
        with (
            self.datastore.get_connection() as conn,
            conn.pipeline() as pipeline,
            conn.transaction(),
        ):
            with conn.cursor() as curs:
                self._insert_events(curs, stored_events, **kwargs)
            if not stored_events:
                return None
            with conn.cursor() as curs:
                self._insert_stored_events(curs, stored_events, **kwargs)
                pipeline.sync()
                return self._fetch_ids_after_insert_events(
                    curs, stored_events, **kwargs
                )

    def _save_in_one_statement(
        self,
        stored_events: Sequence[StoredEvent],
        tracking: Tracking | None,
        requests: Sequence[request_log.Row],
    ) -> list[int]:
        """A group's save: the same steps in one statement (``save_function``)."""
        head = (
            (None, None)
            if tracking is None
            else (tracking.application_name, tracking.notification_id)
        )
        columns: list[Sequence[object]] = (
            list(zip(*requests, strict=True)) if requests else [[]] * 4
        )
        params = (composite_rows(self, stored_events), *head, *map(list, columns))
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(save_function.call_statement(self.datastore.schema), params)
            return [row["notification_id"] for row in curs.fetchall()]

    @contextmanager
    def save_in_parts(self) -> Iterator[PostgresOpenSave]:
        """One transaction a large save is written into part by part."""
        statement = binary_insert_statement(self, returning=True)
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor() as curs,
        ):
            yield PostgresOpenSave(self, curs, statement)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schema = self.datastore.schema
        self.sql_create_statements.append(request_log.postgres_create(schema))
        self.sql_create_statements.append(save_function.create_statement(self))

    def _insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        requests: Sequence[request_log.Row] = kwargs.get("requests", ())
        if requests:
            statement = request_log.postgres_insert(self.datastore.schema)
            curs.executemany(statement, requests)

    def recall_request(self, key: str) -> request_log.Answer | None:
        """What the request with this Idempotency-Key recorded, if it was answered."""
        statement = request_log.postgres_select(self.datastore.schema)
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, (key,))
            row = curs.fetchone()
        return (
            None if row is None else (row["digest"], row["first_seq"], row["last_seq"])
        )

    def _notify_channel(self, curs: Cursor[DictRow]) -> None:
        curs.execute(notify_statement(self.channel_name))  # composed once

    def _insert_tracking(self, curs: Cursor[DictRow], tracking: Tracking) -> None:
        curs.execute(
            query=self.insert_tracking_statement,
            params={
                "application_name": tracking.application_name,
                "notification_id": tracking.notification_id,
            },
            prepare=True,
        )

    def _insert_stored_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any
    ) -> None:
        """Every event in this one transaction, a statement per chunk: one huge
        insert can hang psycopg's pipeline (psycopg#685), but an import must be all
        or nothing. Only the last chunk returns ids: the ledger reads the last id."""
        # As the library does: the table lock keeps commit order = notification order.
        self._lock_table(curs)
        self._notify_channel(curs)
        last = (max(len(stored_events), 1) - 1) // INSERT_CHUNK * INSERT_CHUNK
        quiet = binary_insert_statement(self, returning=False)
        for start in range(0, last, INSERT_CHUNK):
            chunk = stored_events[start : start + INSERT_CHUNK]
            curs.execute(quiet, (composite_rows(self, chunk),))
        statement = binary_insert_statement(self, returning=True)
        curs.execute(statement, (composite_rows(self, stored_events[last:]),))


class LedgerPostgresFactory(PostgresFactory):
    """The library's PostgreSQL factory with the ledger's recorders."""

    aggregate_recorder_class = SnapshotRecorder
    process_recorder_class = HeadTrackingRecorder


class BatchInsertRecorder(SQLiteProcessRecorder):
    """Inserts a save's events with one ``executemany`` rather than a statement each.

    The library executes one INSERT per event to read each rowid (its notification
    id). SQLite gives rowids max+1 in order while the transaction holds the write
    lock, so a batch's ids are the run that ends at ``last_insert_rowid()``.
    """

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        rows = [
            (text_id(e.originator_id), e.originator_version, e.topic, e.state)
            for e in stored_events
        ]
        c.executemany(self.insert_events_statement, rows)
        c.execute("SELECT last_insert_rowid()")
        last = int(c.fetchone()[0])
        tracking: Tracking | None = kwargs.get("tracking")
        if tracking is not None:
            self._insert_tracking(c, tracking)
        requests: Sequence[request_log.Row] = kwargs.get("requests", ())
        if requests:
            c.executemany(request_log.SQLITE_INSERT, requests)
        return list(range(last - len(rows) + 1, last + 1)) if rows else []

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), request_log.SQLITE_CREATE]

    @contextmanager
    def save_in_parts(self) -> Iterator[SQLiteOpenSave]:
        """One transaction a large save is written into part by part."""
        with self.datastore.transaction(commit=True) as cursor:
            yield SQLiteOpenSave(self, cursor)

    def recall_request(self, key: str) -> request_log.Answer | None:
        """What the request with this Idempotency-Key recorded, if it was answered."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(request_log.SQLITE_SELECT, (key,))
            row = c.fetchone()
        return None if row is None else (row[0], int(row[1]), int(row[2]))


class LedgerSQLiteFactory(SQLiteFactory):
    """The library's SQLite factory with the ledger's process recorder."""

    process_recorder_class = BatchInsertRecorder


def drop_snapshots(recorder: AggregateRecorder, originator_id: UUID) -> int:
    """Delete an aggregate's stored snapshots (a cache the facts rebuild); how many."""
    if isinstance(recorder, PostgresAggregateRecorder):
        statement = SQL("DELETE FROM {}.{} WHERE originator_id = %s").format(
            Identifier(recorder.datastore.schema),
            Identifier(recorder.events_table_name),
        )
        with recorder.datastore.transaction(commit=True) as curs:
            curs.execute(statement, (originator_id,))
            return curs.rowcount
    assert isinstance(recorder, SQLiteAggregateRecorder)
    with recorder.datastore.transaction(commit=True) as c:
        c.execute(
            f"DELETE FROM {recorder.events_table_name} WHERE originator_id = ?",
            (originator_id.hex,),
        )
        c.execute("SELECT changes()")
        return int(c.fetchone()[0])

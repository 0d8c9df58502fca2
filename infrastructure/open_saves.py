"""Large saves written part by part into one open transaction (``ports.OpenSave``).

An import of tens of thousands of facts must be all or nothing, yet holding every
fact in memory until one insert would make its memory grow with the file. The
ledger writes each part as it is checked; the transaction commits only at the end,
and any error rolls every part back.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from psycopg.sql import SQL, Composed, Identifier

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eventsourcing.persistence import Tracking
    from eventsourcing.postgres import PostgresAggregateRecorder
    from eventsourcing.sqlite import SQLiteCursor
    from psycopg import Cursor
    from psycopg.rows import DictRow

    from infrastructure import request_log
    from infrastructure.recorders import BatchInsertRecorder, HeadTrackingRecorder


def binary_insert_statement(
    recorder: PostgresAggregateRecorder, *, returning: bool
) -> bytes:
    """The library's insert statement, its one parameter sent in binary (%b).

    In text format psycopg escapes every field of the composite rows with a regular
    expression; fact documents and journal snapshots are large enough that this
    escaping cost more than the rest of the insert. Kept as bytes: psycopg caches
    the conversion of a bytes query, but composes an ``sql.Composed`` afresh each
    time it is executed.
    """
    return _insert_statement(
        recorder.datastore.schema,
        recorder.events_table_name,
        recorder.stored_event_type_name,
        returning,
    )


@functools.lru_cache(maxsize=64)
def _insert_statement(
    schema: str, table: str, stored_event_type: str, returning: bool
) -> bytes:
    statement = SQL(
        "INSERT INTO {schema}.{table} AS t ("
        "originator_id, originator_version, topic, state) "
        "SELECT originator_id, originator_version, topic, state "
        "FROM unnest(%b::{schema}.{stored_event_type}[])"
    ).format(
        schema=Identifier(schema),
        table=Identifier(table),
        stored_event_type=Identifier(stored_event_type),
    )
    if returning:
        statement += SQL(" RETURNING notification_id")
    return statement.as_bytes(None)


@functools.lru_cache(maxsize=64)
def notify_statement(channel: str) -> bytes:
    """The library's NOTIFY after a save, composed once per channel."""
    return SQL("NOTIFY {0}").format(Identifier(channel)).as_bytes(None)


def composite_rows(
    recorder: PostgresAggregateRecorder, stored_events: Sequence[StoredEvent]
) -> list[Any]:
    """Stored events as the rows of the library's composite type."""
    return [
        recorder.construct_pg_stored_event(
            event.originator_id, event.originator_version, event.topic, event.state
        )
        for event in stored_events
    ]


class SQLiteOpenSave:
    """A save's transaction on SQLite: the write lock is held until it ends."""

    def __init__(self, recorder: BatchInsertRecorder, cursor: SQLiteCursor) -> None:
        self.recorder = recorder
        self.cursor = cursor
        self.last_id: int | None = None

    def insert(self, stored_events: Sequence[StoredEvent]) -> None:
        """Write a part, as the recorder writes a whole save's events."""
        ids = self.recorder._insert_events(self.cursor, stored_events)
        if ids:
            self.last_id = ids[-1]

    def select(self, originator_id: UUID, version: int) -> StoredEvent | None:
        """An event, as this transaction sees it."""
        statement = (
            f"SELECT topic, state FROM {self.recorder.events_table_name} "
            "WHERE originator_id=? AND originator_version=?"
        )
        self.cursor.execute(statement, (text_id(originator_id), version))
        row = self.cursor.fetchone()
        if row is None:
            return None
        return StoredEvent(originator_id, version, row[0], row[1])

    def finish(
        self, tracking: Tracking, requests: Sequence[request_log.Row]
    ) -> int | None:
        """Write the head and the answered requests."""
        self.recorder._insert_events(
            self.cursor, (), tracking=tracking, requests=requests
        )
        return self.last_id


class PostgresOpenSave:
    """A save's transaction on PostgreSQL, holding the events table's lock (as the
    library's own saves do) so that commit order stays notification order."""

    def __init__(
        self,
        recorder: HeadTrackingRecorder,
        cursor: Cursor[DictRow],
        insert_statement: bytes,
    ) -> None:
        self.recorder = recorder
        self.cursor = cursor
        self.insert_statement = insert_statement
        """Inserts composite rows sent in binary, returning their notification ids."""
        self.last_id: int | None = None
        recorder._lock_table(cursor)
        recorder._notify_channel(cursor)

    def insert(self, stored_events: Sequence[StoredEvent]) -> None:
        """Write a part, in binary; keep the last notification id."""
        if not stored_events:
            return
        rows = composite_rows(self.recorder, stored_events)
        self.cursor.execute(self.insert_statement, (rows,))
        ids = [row["notification_id"] for row in self.cursor.fetchall()]
        self.last_id = max(ids, default=self.last_id)

    def select(self, originator_id: UUID, version: int) -> StoredEvent | None:
        """An event, as this transaction sees it."""
        self.cursor.execute(self._select_statement(), (originator_id, version))
        row = self.cursor.fetchone()
        if row is None:
            return None
        return StoredEvent(originator_id, version, row["topic"], bytes(row["state"]))

    def finish(
        self, tracking: Tracking, requests: Sequence[request_log.Row]
    ) -> int | None:
        """Write the head and the answered requests, as the recorder's saves do."""
        self.recorder._insert_events(
            self.cursor, (), tracking=tracking, requests=requests
        )
        return self.last_id

    def _select_statement(self) -> Composed:
        return SQL(
            "SELECT topic, state FROM {schema}.{table} "
            "WHERE originator_id = %s AND originator_version = %s"
        ).format(
            schema=Identifier(self.recorder.datastore.schema),
            table=Identifier(self.recorder.events_table_name),
        )


def text_id(originator_id: UUID | str) -> str:
    """An originator id as the SQLite table keeps it."""
    return originator_id.hex if isinstance(originator_id, UUID) else originator_id

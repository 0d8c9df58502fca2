"""A save of a few facts on PostgreSQL as one statement (decision 0046).

The library's save is a transaction of several statements: set the lock timeout,
upsert the tracking row, lock the events table, NOTIFY, insert the events, commit.
Even pipelined, each is a trip through psycopg's machinery, and a served node saves
a group of clerks' facts while its event loop waits. This function does the same
steps in the same order inside the server, so the save is one statement: on an
autocommit connection it is one transaction, and any error inside keeps nothing.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from psycopg.sql import SQL, Composed, Identifier

from infrastructure import request_log

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresProcessRecorder

FUNCTION = "tierledger_save_facts"


def create_statement(recorder: PostgresProcessRecorder) -> Composed:
    """CREATE OR REPLACE the function for this recorder's tables."""
    schema = Identifier(recorder.datastore.schema)
    return SQL(
        "CREATE OR REPLACE FUNCTION {schema}.{function}("
        "events {schema}.{event}[], head_name text, head bigint, "
        "request_keys text[], request_digests text[], "
        "request_firsts bigint[], request_lasts bigint[]) "
        "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ "
        "BEGIN "
        "SET LOCAL lock_timeout = '{lock_timeout}s'; "
        "IF head_name IS NOT NULL THEN "
        "INSERT INTO {schema}.{tracking} AS t VALUES (head_name, head) "
        "ON CONFLICT (application_name) DO UPDATE SET notification_id = head "
        "WHERE t.notification_id < head; "
        "END IF; "
        "INSERT INTO {schema}.{requests} SELECT * FROM "
        "unnest(request_keys, request_digests, request_firsts, request_lasts); "
        # As the library does: the table lock keeps commit order = notification order.
        "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
        "NOTIFY {channel}; "
        "RETURN QUERY INSERT INTO {schema}.{table} AS e "
        "(originator_id, originator_version, topic, state) "
        "SELECT originator_id, originator_version, topic, state FROM unnest(events) "
        "RETURNING notification_id; "
        "END; $BODY$"
    ).format(
        schema=schema,
        function=Identifier(FUNCTION),
        event=Identifier(recorder.stored_event_type_name),
        lock_timeout=recorder.datastore.lock_timeout,
        tracking=Identifier(recorder.tracking_table_name),
        requests=Identifier(request_log.TABLE),
        table=Identifier(recorder.events_table_name),
        channel=Identifier(recorder.channel_name),
    )


@functools.lru_cache(maxsize=64)
def call_statement(schema: str) -> bytes:
    """The call: the events in binary (as ``open_saves``), the rest as text."""
    return (
        SQL("SELECT * FROM {}.{}(%b, %s, %s, %s, %s, %s, %s) AS s(notification_id)")
        .format(Identifier(schema), Identifier(FUNCTION))
        .as_bytes(None)
    )

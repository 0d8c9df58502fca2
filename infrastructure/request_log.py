"""Requests a node answered, kept with the facts they recorded (Idempotency-Key).

A row (key, digest of the request, first and last seq recorded) is written in the same
transaction as the facts, so a retried request finds it exactly when its facts are in
the store. The ledger's recorders mix this in (``infrastructure.recorders``).
"""

from __future__ import annotations

from psycopg.sql import SQL, Composed, Identifier

TABLE = "answered_requests"
Row = tuple[str, str, int, int]
"""(Idempotency-Key, SHA-256 of the request body, first seq, last seq)."""
Answer = tuple[str, int, int]
"""(request digest, first seq, last seq)."""


def postgres_create(schema: str) -> Composed:
    """The PostgreSQL table."""
    return SQL(
        "CREATE TABLE IF NOT EXISTS {}.{} (key text PRIMARY KEY, digest text NOT NULL, "
        "first_seq bigint NOT NULL, last_seq bigint NOT NULL)"
    ).format(Identifier(schema), Identifier(TABLE))


def postgres_insert(schema: str) -> Composed:
    """Its insert (a second row for one key is an IntegrityError, as for a seq)."""
    return SQL("INSERT INTO {}.{} VALUES (%s, %s, %s, %s)").format(
        Identifier(schema), Identifier(TABLE)
    )


def postgres_select(schema: str) -> Composed:
    """Its lookup."""
    return SQL("SELECT digest, first_seq, last_seq FROM {}.{} WHERE key = %s").format(
        Identifier(schema), Identifier(TABLE)
    )


SQLITE_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (key TEXT PRIMARY KEY, digest TEXT NOT NULL, "
    "first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL)"
)
SQLITE_INSERT = f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?)"
SQLITE_SELECT = f"SELECT digest, first_seq, last_seq FROM {TABLE} WHERE key = ?"

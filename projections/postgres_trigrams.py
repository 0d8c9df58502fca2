"""Trigram indexes for search on PostgreSQL, where the server has ``pg_trgm``.

A search text of three characters or more is found through a GIN trigram index on
each identity column searched (``queries.matching``); shorter ones, and a server
without the extension, scan the identity table (decision 0025). The extension is
trusted (PostgreSQL 13+): a node allowed to create tables in its database may
install it, once, in the ``public`` schema, where every node's indexes share it.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.rows import tuple_row
from psycopg.sql import Identifier

from projections.queries import NAME_NARROWED
from projections.tables import IDENTITIES

if TYPE_CHECKING:
    from psycopg import Cursor

INDEXED = {
    "narrowed_name": NAME_NARROWED,
    "filing_number": "filing_number",
    "uscc": "uscc",
}
"""What a search text is looked for in, by index name: names with their full-width
forms narrowed (the expression ``queries.matching`` reads), filing numbers, USCCs."""
PREFIX = f"{IDENTITIES.name}_trgm_"
NAMES = {
    f"{PREFIX}{name}_{hashlib.sha256(expression.encode()).hexdigest()[:8]}": expression
    for name, expression in INDEXED.items()
}
"""The trigram indexes by name: the prefix, what they hold and a digest of it (a
changed expression is a new index, the old one dropped as stale)."""


def trigram_statements(table: str, cursor: Cursor[Any]) -> list[str]:
    """CREATE INDEX for the trigram index of each searched column of ``table``
    (the identities, as the store names them); none without ``pg_trgm``."""
    ops = operator_class(cursor)
    if ops is None:
        return []
    return [
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} {ops})"
        for name, expression in NAMES.items()
    ]


def operator_class(cursor: Cursor[Any]) -> str | None:
    """``gin_trgm_ops``, qualified by the schema holding ``pg_trgm``: installed
    first if missing and allowed; None if the server cannot have it."""
    schema = _extension_schema(cursor)
    if schema is None:
        try:
            # A savepoint: a refusal (no privilege, no contrib package, another
            # node installing it just now) leaves the view's transaction as it was.
            with cursor.connection.transaction():
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        except psycopg.Error:
            return None
        schema = _extension_schema(cursor)
    if schema is None:
        return None
    return f"{Identifier(schema).as_string()}.gin_trgm_ops"


def _extension_schema(cursor: Cursor[Any]) -> str | None:
    with cursor.connection.cursor(row_factory=tuple_row) as rows:
        rows.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        )
        found = rows.fetchone()
    return None if found is None else str(found[0])


def is_trigram_index(name: str) -> bool:
    """Whether an index of the view's is one of today's trigram indexes (kept apart
    from the indexes ``view.INDEXES`` defines on both stores)."""
    return name in NAMES

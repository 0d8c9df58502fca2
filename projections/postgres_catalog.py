"""The view's tables in PostgreSQL's catalogue: their indexes and their persistence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from projections.postgres_trigrams import is_trigram_index, trigram_statements
from projections.tables import IDENTITIES, TABLES
from projections.view import index_names, index_statement, stale_indexes

if TYPE_CHECKING:
    from psycopg import Connection, Cursor


def held_indexes(cursor: Cursor[Any], schema: str) -> list[str]:
    """The secondary indexes of the view's fact tables in ``schema``."""
    with cursor.connection.cursor(row_factory=tuple_row) as rows:
        rows.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = %s "
            "AND tablename = ANY(%s) AND indexname NOT LIKE '%%_pkey'",
            [schema, [t.name for t in TABLES]],
        )
        return [str(row[0]) for row in rows.fetchall()]


def make_indexes(
    cursor: Cursor[Any], schema: str, names: dict[str, str], *, hashing: bool
) -> None:
    """Drop the view's secondary indexes an earlier version defined and build the
    missing ones (``names``: each table as the store names it; ``hashing``: see
    ``view.index_names``), the trigram indexes of search with them."""
    held = [name for name in held_indexes(cursor, schema) if not is_trigram_index(name)]
    for name in stale_indexes(held, hashing):
        cursor.execute(SQL("DROP INDEX {}").format(Identifier(schema, name)))
    for name, table, columns in index_names(hashing):
        cursor.execute(_sql(index_statement(name, names[table], columns)))
    for statement in trigram_statements(names[IDENTITIES.name], cursor):
        cursor.execute(_sql(statement))


def _sql(text: str) -> SQL:
    # Statements composed from constants and quoted identifiers only.
    return SQL(text)


def unlog(conn: Connection[Any], schema: str, names: list[str]) -> None:
    """Make the tables ``names`` of ``schema`` unlogged, all or none: after a server
    crash PostgreSQL empties every one of them, so a view's rows and its tracking
    position go together (decision 0014). Tables an earlier version made logged are
    changed on their first open; unlogged ones are left alone."""
    with conn.transaction(), conn.cursor(row_factory=tuple_row) as curs:
        curs.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = %s "
            "AND c.relname = ANY(%s) AND c.relpersistence = 'p'",
            [schema, names],
        )
        for (name,) in curs.fetchall():
            curs.execute(
                SQL("ALTER TABLE {} SET UNLOGGED").format(Identifier(schema, name))
            )

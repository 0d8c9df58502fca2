"""A PostgreSQL rebuild on both cores: some tables filled beside the view's transaction.

As on SQLite (``sqlite_part``): while the view's transaction fills identities, grades,
arrivals and policies, a second connection, in a thread, fills the subsidies and
changes into unlogged scratch tables beside them (committed on their own: another
transaction cannot write into the view's); the view then copies their rows in and drops
them, inside its one transaction. A rebuild that dies leaves scratch tables the next
one drops first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from projections.view import PARTS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from eventsourcing.postgres import PostgresDatastore
    from psycopg.sql import SQL

SCRATCH = "rebuild_"
"""Prefix of a scratch table's name (beside the view's, in the node's schema)."""


def scratch_names(names: dict[str, str]) -> dict[str, str]:
    """The view's qualified table names with the parts' pointing at scratch tables."""
    scratch = {}
    for name in PARTS:
        schema, _, table = names[name].rpartition(".")
        scratch[name] = f"{schema}.{SCRATCH}{table}"
    return {**names, **scratch}


def part_statements(
    names: dict[str, str], inserts: dict[str, str]
) -> tuple[list[str], list[str]]:
    """What the second connection runs (drop any old scratch, create, fill), and
    what the view then runs (copy the rows in, drop the scratch)."""
    scratch = scratch_names(names)
    beside, copies = [], []
    for name in PARTS:
        beside += [
            f"DROP TABLE IF EXISTS {scratch[name]}",
            f"CREATE UNLOGGED TABLE {scratch[name]} (LIKE {names[name]})",
            inserts[name],
        ]
        copies += [
            f"INSERT INTO {names[name]} SELECT * FROM {scratch[name]}",
            f"DROP TABLE {scratch[name]}",
        ]
    return beside, copies


def fill_parts(
    datastore: PostgresDatastore, statements: Sequence[SQL], params: dict[str, Any]
) -> None:
    """Run the second connection's statements and commit (in a thread)."""
    with datastore.get_connection() as conn, conn.transaction(), conn.cursor() as cur:
        for statement in statements:
            cur.execute(statement, params)

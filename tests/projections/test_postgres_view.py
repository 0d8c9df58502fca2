"""The views on PostgreSQL: rebuilds that make tables anew, unlogged tables, reads
planned for their point."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from psycopg.sql import SQL, Identifier

from projections import queries
from projections.postgres_view import (
    FACT_NAMES,
    REBUILD_SETTINGS,
    PostgresViewTransaction,
)
from projections.tables import GRADES
from service.node import open_views
from tests.projections.delivery import busy_community

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store
    from projections.node_views import NodeViews

pytestmark = pytest.mark.postgres


class PowerCutError(RuntimeError):
    """The process dies here."""


@pytest.fixture
def views(pg_store: Store) -> Iterator[NodeViews]:
    """The caught-up views of a community that has recorded every kind of fact."""
    node = busy_community(pg_store)
    views = open_views(pg_store, node.ledger)
    views.catch_up()
    yield views
    views.close()
    node.ledger.close()


def test_a_postgresql_rebuild_that_dies_rolls_back_its_new_tables_and_recovers(
    views: NodeViews, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = views.digest(views.point())
    columns = table_columns(views)
    monkeypatch.setattr(PostgresViewTransaction, "changes", power_cut)
    with pytest.raises(PowerCutError):
        # It dies after the fact tables were dropped and made anew.
        views.rebuild_unverified()
    monkeypatch.undo()
    # Check the tables are the ones defined, emptied, and the view catches up in full.
    assert table_columns(views) == columns
    assert views.view.position() == 0
    assert views.digest(views.point()) == kept


def test_a_rebuilt_postgresql_view_has_the_tables_and_indexes_of_a_new_one(
    views: NodeViews,
) -> None:
    columns, indexes = table_columns(views), table_indexes(views)
    views.rebuild_unverified()
    # Check every column's type, collation and nullability, and every index, again.
    assert table_columns(views) == columns
    assert table_indexes(views) == indexes
    assert ("view_grades", "org_id", "text", "C", "YES") in columns


def test_every_view_table_and_the_tracking_table_are_unlogged(views: NodeViews) -> None:
    views.rebuild_unverified()
    # Check all or none: a crash must empty the rows and their position together.
    assert table_persistence(views) == {"u"}
    assert "view_tracking" in table_names(views)


def test_a_view_made_logged_by_an_earlier_version_is_unlogged_when_opened(
    views: NodeViews, pg_store: Store
) -> None:
    kept = views.digest(views.point())
    for_each_table(views, "ALTER TABLE {} SET LOGGED")
    views.close()
    # Check the next open changes them, keeping their rows and position.
    reopened = open_views(pg_store, views.ledger)
    assert table_persistence(reopened) == {"u"}
    assert reopened.digest(reopened.point()) == kept
    reopened.close()


def test_a_server_crash_empties_the_view_and_the_next_catch_up_restores_it(
    views: NodeViews,
) -> None:
    kept = views.digest(views.point())
    # What PostgreSQL's crash recovery does to unlogged tables: empty each one.
    for_each_table(views, "TRUNCATE {}", unlogged_only=True)
    # Check the view starts again from the log's beginning and answers as before.
    assert views.view.position() == 0
    assert views.digest(views.point()) == kept


def test_a_rebuild_parses_an_analysed_log_in_parallel(views: NodeViews) -> None:
    view: Any = views.view
    drop, make_anew = view.rebuild_stages[1 + FACT_NAMES.index(GRADES.name)][:2]
    with view.datastore.transaction(commit=False) as cursor:  # rolled back
        cursor.execute(drop)
        cursor.execute(view.statement(f"ANALYZE {view.events}"))  # as autovacuum does
        for setting in REBUILD_SETTINGS:
            cursor.execute(view.statement(setting))
        # This log is far smaller than those PostgreSQL starts workers for at all.
        cursor.execute(SQL("SET LOCAL min_parallel_table_scan_size = 0"))
        cursor.execute(SQL("EXPLAIN ") + make_anew, {"after": 0, "last": 2**62})
        plan = [str(line) for row in cursor.fetchall() for line in row.values()]
    # Check the documents are parsed by a worker beside the leader, not by one process.
    assert any("Gather" in line for line in plan), plan


def test_view_queries_are_planned_for_their_point_never_prepared(
    views: NodeViews,
) -> None:
    point = views.point()
    for _ in range(60):  # every pooled connection runs it past psycopg's threshold
        views.view.fetch(queries.LATEST_CLASSES_DISTINCT_ON, point.params())
    with views.view.transaction() as txn:
        for _ in range(10):
            txn.fetch(queries.LATEST_CLASSES_DISTINCT_ON, point.params())
        in_transaction = txn.fetch(PREPARED_LATEST_CLASSES, {})
    # Check no connection holds a prepared statement: a generic plan, chosen once
    # for every point, doubled a roll-up's time from its eleventh run.
    assert views.view.fetch(PREPARED_LATEST_CLASSES, {}) == [(0,)]
    assert in_transaction == [(0,)]


PREPARED_LATEST_CLASSES = (
    "SELECT COUNT(*) FROM pg_prepared_statements WHERE statement LIKE '%DISTINCT ON%'"
)


def power_cut(*args: Any, **kwargs: Any) -> Any:
    raise PowerCutError("power cut")


def table_columns(views: Any) -> list[tuple[Any, ...]]:
    """Each column of the view's tables: table, name, type, collation, nullable."""
    found: list[tuple[Any, ...]] = views.view.fetch(
        "SELECT table_name, column_name, data_type, collation_name, is_nullable "
        "FROM information_schema.columns WHERE table_schema = :schema "
        "AND table_name LIKE 'view%' ORDER BY table_name, ordinal_position",
        {"schema": views.view.datastore.schema},
    )
    return found


def table_indexes(views: Any) -> list[tuple[Any, ...]]:
    """Each index of the view's tables: its name and definition."""
    found: list[tuple[Any, ...]] = views.view.fetch(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :schema "
        "AND tablename LIKE 'view%' ORDER BY indexname",
        {"schema": views.view.datastore.schema},
    )
    return found


def table_names(views: Any, *, unlogged_only: bool = False) -> list[str]:
    """The view's tables and its tracking table (or those unlogged), by name."""
    rows = views.view.fetch(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = :schema "
        "AND c.relname LIKE 'view%' AND c.relkind = 'r' "
        "AND (c.relpersistence = 'u' OR NOT :unlogged_only) ORDER BY c.relname",
        {"schema": views.view.datastore.schema, "unlogged_only": unlogged_only},
    )
    return [str(row[0]) for row in rows]


def table_persistence(views: Any) -> set[str]:
    """The persistence of the view's tables ('p' logged, 'u' unlogged)."""
    rows = views.view.fetch(
        "SELECT DISTINCT c.relpersistence FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = :schema "
        "AND c.relname LIKE 'view%' AND c.relkind = 'r'",
        {"schema": views.view.datastore.schema},
    )
    return {str(row[0]) for row in rows}


def for_each_table(views: Any, statement: str, *, unlogged_only: bool = False) -> None:
    """Run ``statement`` on each of the view's tables and its tracking table."""
    schema = views.view.datastore.schema
    with views.view.datastore.transaction(commit=True) as curs:
        for name in table_names(views, unlogged_only=unlogged_only):
            curs.execute(SQL(statement).format(Identifier(schema, name)))

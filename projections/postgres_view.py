"""The views of a node on PostgreSQL: tables beside the ledger's, in its schema."""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from domain.stored_form import LINKS_LENGTH
from projections import chain_status
from projections.extract import (
    Dialect,
    changes_statement,
    extract_statements,
    rarer_facts,
    recreate_statements,
)
from projections.postgres_catalog import held_indexes, make_indexes, unlog
from projections.tables import GRADES, SUBSIDIES, TABLES
from projections.view import (
    TRACKING_NAME,
    VIEW_TABLES,
    LedgerView,
    ViewTransaction,
    create_statements,
    index_names,
    named_to_pyformat,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import AbstractContextManager

    from eventsourcing.persistence import Tracking
    from psycopg import Cursor

    from projections.tables import Row, Table


def _sql(text: str) -> SQL:
    # Our statements are composed from constants and quoted identifiers only.
    return SQL(text)


COLLATE = ' COLLATE "C"'
"""The fact tables' text compares byte by byte, as SQLite's does: one order on
every server whatever its locale, and sorts (index builds, ``DISTINCT ON``) that
skip the locale's string comparison."""
REBUILD_WORKERS = max(1, (os.cpu_count() or 2) - 1)
"""Parallel workers per rebuild statement: one per core beside the leader's (a node's
PostgreSQL runs on its own machine; on two cores a second worker only crowds the
first and the leader — measured in BENCHMARKS.md)."""
REBUILD_SETTINGS = (
    # A rebuild reads the whole log: sequential scans, in parallel, whatever the
    # statistics of a log autovacuum has not analysed yet would suggest.
    "SET LOCAL enable_bitmapscan = off",
    "SET LOCAL enable_indexscan = off",
    f"SET LOCAL max_parallel_workers_per_gather = {REBUILD_WORKERS}",
    # Parsing a document costs the planner nothing, so once the log is analysed (as
    # autovacuum does) it sees no gain in workers and scans it in one process,
    # taking twice as long: workers are free here, and so is what they pass back.
    "SET LOCAL parallel_setup_cost = 0",
    "SET LOCAL parallel_tuple_cost = 0",
    f"SET LOCAL max_parallel_maintenance_workers = {REBUILD_WORKERS}",
    # Index builds and the daily sums' grouping sort and hash in memory, not in
    # temp files.
    "SET LOCAL maintenance_work_mem = '256MB'",
    "SET LOCAL work_mem = '64MB'",
    # The new tables' sizes, for the statements that follow, from a small sample;
    # full statistics come after the commit (``after_rebuild``).
    "SET LOCAL default_statistics_target = 10",
)
_LARGEST = (GRADES.name, SUBSIDIES.name)
FACT_NAMES = tuple(table.name for table in TABLES)
FEW = "rebuild_few"
"""A rebuild's temporary copy of the log's rarer facts (dropped at commit)."""
CANONICAL_JSONB = (
    f"('{{{{' || convert_from(substring(state FROM {LINKS_LENGTH + 1}), 'UTF8'))::jsonb"
)
"""A stored fact's canonical bytes as ``jsonb``: its chain links (a third of the
document, which no view reads) are skipped unparsed. Braces doubled: statements pass
through ``str.format``."""
AFTER_EXTRACTION = ("RESET enable_bitmapscan", "RESET enable_indexscan")
"""Revisions then look rows up by index."""


class PostgresViewTransaction(ViewTransaction):
    """A transaction on the node's schema, its ledger's events table beside."""

    def __init__(
        self, cursor: Cursor[Any], view: PostgresLedgerView, rebuild: bool = False
    ) -> None:
        self.cursor, self.view, self.rebuild = cursor, view, rebuild

    def last_position(self) -> int:
        self.cursor.execute(
            _sql(f"SELECT MAX(notification_id) FROM {self.view.events}")
        )
        found = self.cursor.fetchone()
        return int(found[0] or 0) if found else 0

    def extract(self, after: int, last: int, own: object) -> Iterator[None]:
        params = {"after": after, "last": last, "own": own}
        stages = self.view.rebuild_stages if self.rebuild else self.view.step_stages
        for stage in stages:
            for statement in stage:
                self.cursor.execute(statement, params)
            yield

    def changes(self, after: int, last: int) -> list[tuple[int, bytes]]:
        self.cursor.execute(self.view.changes_statement, {"after": after, "last": last})
        return [(int(pos), bytes(state)) for pos, state in self.cursor.fetchall()]

    def fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        self.cursor.execute(self.view.statement(sql), params, prepare=False)
        return list(self.cursor.fetchall())

    def execute(self, sql: str, params: dict[str, Any]) -> None:
        self.cursor.execute(self.view.statement(sql), params, prepare=False)

    def insert(self, table: Table, row: Row) -> None:
        columns = ", ".join(["%s"] * len(row))
        self.cursor.execute(
            _sql(f"INSERT INTO {self.view.names[table.name]} VALUES ({columns})"), row
        )

    def close_version(self, table: Table, row_id: int, until: int) -> None:
        update = (
            f"UPDATE {self.view.names[table.name]} SET until_pos = %s WHERE id = %s"
        )
        self.cursor.execute(_sql(update), (until, row_id))

    def create_indexes(self) -> None:
        schema, names = self.view.datastore.schema, self.view.names
        make_indexes(self.cursor, schema, names, hashing=self.view.hash_joins)

    def track(self, tracking: Tracking) -> None:
        self.view._insert_tracking(self.cursor, tracking)


class PostgresLedgerView(PostgresTrackingRecorder, LedgerView):
    """The views beside the ledger's tables, in the node's schema."""

    hash_joins = True
    distinct_on = True
    like = "ILIKE"  # under COLLATE "C", ILIKE folds ASCII letters only
    narrows_names = True
    concurrent_reads = True
    # Sorts and hashes of a million-fact district fit in memory, not temp files.
    bulk_read = ("SET LOCAL work_mem = '64MB'",)

    def after_rebuild(self) -> None:
        """VACUUM (ANALYZE) the tables, two at a time: the planner learns their
        statistics, and the covering indexes answer without visiting rows
        (all-visible pages)."""
        largest_first = [*_LARGEST, *(n for n in self.names if n not in _LARGEST)]
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(self._vacuum, largest_first))

    def _vacuum(self, name: str) -> None:
        with self.datastore.get_connection() as conn:
            conn.autocommit = True  # VACUUM refuses to run in a transaction
            try:
                conn.execute(_sql(f"VACUUM (ANALYZE) {self.names[name]}"))
            finally:
                conn.autocommit = False

    def __init__(self, datastore: PostgresDatastore, events_table: str) -> None:
        super().__init__(datastore, tracking_table_name="view_tracking")
        schema = Identifier(datastore.schema).as_string()
        self.names = {name: f"{schema}.{name}" for name in VIEW_TABLES}
        self.events = f"{schema}.{Identifier(events_table).as_string()}"
        self.status_table = f"{schema}.{chain_status.TABLE}"  # logged: decision 0017
        made = create_statements(self.names, collate=COLLATE)
        for statement in [*made, chain_status.create_statement(self.status_table)]:
            self.sql_create_statements.append(_sql(statement) + SQL(""))
        dialect = Dialect(
            document=CANONICAL_JSONB,
            position="notification_id",
            events=self.events,
            postgres=True,
        )
        self.step_stages = [
            [self.statement(sql)] for sql in extract_statements(dialect, self.names)
        ]
        self.rebuild_stages = self._rebuild_stages(dialect)
        self.changes_statement = self.statement(changes_statement(dialect, self.names))

    def _rebuild_stages(self, dialect: Dialect) -> list[list[SQL]]:
        """A rebuild's statements, stage by stage: each fact table dropped and made
        anew (``CREATE TABLE AS``: parallel workers parse the documents), its key
        added after the rows; arrivals and policies into the emptied tables. The
        rarer facts are first copied out of the log in one pass (``FEW``), so only
        grades and subsidies are read from the whole of it."""
        few = replace(dialect, events=FEW)
        whole, rare = (
            dict(zip(FACT_NAMES, made, strict=True))
            for made in (
                recreate_statements(d, self.names, COLLATE) for d in (dialect, few)
            )
        )
        stages = [[*REBUILD_SETTINGS, _copy_few(dialect)]]
        for name in FACT_NAMES:
            table = self.names[name]
            stages.append(
                [
                    f"DROP TABLE {table}",
                    whole[name] if name in _LARGEST else rare[name],
                    f"ALTER TABLE {table} ADD PRIMARY KEY (id)",
                    f"ANALYZE {table}",  # what follows is planned knowing its size
                ]
            )
        arrivals = extract_statements(dialect, self.names)[-2]
        policies = extract_statements(few, self.names)[-1]
        stages[-1] += [policies, *AFTER_EXTRACTION]
        stages.append([arrivals])  # by the index of this node's own facts
        return [[self.statement(sql) for sql in stage] for stage in stages]

    def create_table(self) -> None:
        """Create the view's tables (and the tracking table) if missing, unlogged."""
        super().create_table()
        with self.datastore.get_connection() as conn:
            unlog(conn, self.datastore.schema, [*VIEW_TABLES, self.tracking_table_name])

    @classmethod
    def open(
        cls, env: dict[str, str], events_table: str, connections: int = 2
    ) -> PostgresLedgerView:
        """The view of the node whose ledger environment is ``env``, holding at
        most ``connections`` (one from the start)."""
        datastore = PostgresDatastore(
            dbname=env["POSTGRES_DBNAME"],
            host=env["POSTGRES_HOST"],
            port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"],
            password=env["POSTGRES_PASSWORD"],
            schema=env["POSTGRES_SCHEMA"],
            pool_size=1,
            max_overflow=connections - 1,
        )
        view = cls(datastore, events_table)
        view.create_table()
        return view

    def statement(self, sql: str) -> SQL:
        """A query of ours in psycopg's terms (tables qualified, parameters named)."""
        return _sql(named_to_pyformat(sql.format(**self.names)))

    def transaction(self) -> AbstractContextManager[ViewTransaction]:
        """A transaction that commits when the block ends without an error."""
        return self._transaction(rebuild=False)

    def rebuild_transaction(self) -> AbstractContextManager[ViewTransaction]:
        """A transaction that makes the fact tables anew (``rebuild_stages``)."""
        return self._transaction(rebuild=True)

    @contextlib.contextmanager
    def _transaction(self, *, rebuild: bool) -> Iterator[ViewTransaction]:
        with (
            self.datastore.get_connection() as conn,
            conn.transaction(),
            conn.cursor(row_factory=tuple_row) as cursor,
        ):
            yield PostgresViewTransaction(cursor, self, rebuild=rebuild)

    def fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Rows of one query."""
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=tuple_row) as curs,
        ):
            # Never server-prepared: after a few runs PostgreSQL would switch to one
            # generic plan for every point, and a point's best plan depends on it
            # (decision 0015).
            curs.execute(self.statement(sql), params, prepare=False)
            return curs.fetchall()

    def clear(self) -> None:
        """Forget every row and the tracking position; drop the secondary indexes."""
        with self.datastore.transaction(commit=True) as curs:
            schema = Identifier(self.datastore.schema).as_string()
            held = held_indexes(curs, self.datastore.schema)
            for name in {*held, *(name for name, _, _ in index_names())}:
                curs.execute(_sql(f"DROP INDEX IF EXISTS {schema}.{name}"))
            curs.execute(_sql(f"TRUNCATE {', '.join(self.names.values())}"))
            curs.execute(
                SQL("DELETE FROM {}.{} WHERE application_name = %s").format(
                    Identifier(self.datastore.schema),
                    Identifier(self.tracking_table_name),
                ),
                [TRACKING_NAME],
            )

    def close(self) -> None:
        """Close the pool."""
        self.datastore.close()


def _copy_few(dialect: Dialect) -> str:
    """Copies every fact but grades and subsidies in the range out of the log."""
    return (
        f"CREATE TEMPORARY TABLE {FEW} ON COMMIT DROP AS SELECT * FROM "
        f"{dialect.events} WHERE {dialect.position} > :after "
        f"AND {dialect.position} <= :last AND {rarer_facts()}"
    )

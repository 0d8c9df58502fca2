"""The view interface: four fact tables, the node's arrival instants, and tracking.

Both backends (``sqlite_view``, ``postgres_view``) keep the same tables and run the
same SQL (``projections.queries``); they differ only in how rows reach the driver.
A batch's rows, version closes, arrivals and its tracking position commit in one
transaction, so a view is never ahead of, nor behind, what it says it processed.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import TrackingRecorder

from projections import chain_status, subsidy_days
from projections.tables import TABLES, column_type

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from contextlib import AbstractContextManager

    from eventsourcing.persistence import Tracking

    from projections.chain_status import ChainBreak
    from projections.tables import Row, Table

TRACKING_NAME = "views"
"""Tracking name of the views (the ledger's own head is tracked as ``head``)."""
FOREVER = "9999-12-31"
"""The business date that puts every fact in force."""


def create_statements(
    names: dict[str, str], row_id: str = "BIGINT", collate: str = ""
) -> list[str]:
    """CREATE TABLE statements of the view (``names``: table -> qualified name;
    ``row_id``: the type of the ``id`` key column; ``collate``: the fact tables'
    text collation clause)."""
    statements = []
    for table in TABLES:
        columns = ", ".join(f"{c} {typed(c, collate)}" for c in table.all_columns[1:])
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {names[table.name]} "
            f"(id {row_id} PRIMARY KEY, {columns})"
        )
    for name, columns in EXTRA_TABLES.items():
        statements.append(f"CREATE TABLE IF NOT EXISTS {names[name]} ({columns})")
    return statements


def typed(column: str, collate: str = "") -> str:
    """A fact table column's type, text ones with the store's ``collate`` clause."""
    kind = column_type(column)
    return f"{kind}{collate}" if kind == "TEXT" else kind


EXTRA_TABLES = {
    "view_arrivals": "pos BIGINT PRIMARY KEY, at TEXT NOT NULL",
    "view_policies": "pos BIGINT PRIMARY KEY, origin TEXT NOT NULL, "
    "seq BIGINT NOT NULL, effective_on TEXT NOT NULL, body TEXT NOT NULL",
    "view_subsidy_days": subsidy_days.COLUMNS,
}
"""Tables beside the fact tables: when this node stored each of its own facts (its
knowledge clock), every policy it holds (few: read whole), and the live subsidies'
daily sums as known now (``projections.subsidy_days``)."""
VIEW_TABLES = (*(t.name for t in TABLES), *EXTRA_TABLES)
"""Every table of the view, by unqualified name."""
FILLED = (*(t.name for t in TABLES), "view_arrivals", "view_policies")
"""The tables ``projections.extract``'s statements fill, in order."""
PARTS = ("view_subsidies",)
"""The tables a SQLite rebuild fills on a second connection, beside the view's own
transaction: the subsidies, fourteen fields a fact, about as long to read as all the
rest (adding the changes made the second connection finish last)."""


INDEXES = {
    "view_identities": ("org_id",),
    "view_grades": (
        "org_id, scheme, effective_on DESC, origin DESC, seq DESC, pos, until_pos, "
        "passed, valid_until, grade",
    ),
    "view_subsidies": (
        "org_id, period",
        "until_pos WHERE until_pos IS NOT NULL",
        "origin, period, program, effective_on, pos, until_pos, revoked_on, "
        "amount_fen, s_lottery, s_district, s_street, s_community, s_social",
    ),
    "view_changes": ("org_id",),
}
"""Secondary indexes per table (dropped while a rebuild inserts, then built once);
``columns WHERE condition`` is a partial index (the closed versions: few).
The grades' index lists each organization's evaluations latest first: one seek
(SQLite) or one ordered pass (PostgreSQL) finds every latest evaluation; the
subsidies' last one covers the roll-up's query (``SORTED_GROUPS``); their first
finds an organization's decisions for one period (search's period filter)."""
SORTED_GROUPS = INDEXES["view_subsidies"][-1]
"""The index that hands SQLite the roll-up's subsidies in group order, from the
index alone. PostgreSQL groups them by hashing as fast from the table itself, so
it is spared building it."""


def index_names(hashing: bool = False) -> list[tuple[str, str, str]]:
    """(index name, table, columns) of every secondary index (``hashing``: of a
    store that groups by hashing); the name carries a digest of the columns, so a
    changed definition is a new index, not a stale one kept under its old name."""
    return [
        (f"{table}_{hashlib.sha256(columns.encode()).hexdigest()[:8]}", table, columns)
        for table, all_columns in INDEXES.items()
        for columns in all_columns
        if not (hashing and columns == SORTED_GROUPS)
    ]


def index_statement(name: str, table: str, spec: str) -> str:
    """CREATE INDEX for one entry of ``INDEXES`` (``table`` as the store names it)."""
    columns, _, where = spec.partition(" WHERE ")
    partial = f" WHERE {where}" if where else ""
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}){partial}"


def stale_indexes(existing: Iterable[str], hashing: bool = False) -> list[str]:
    """Which of the ``existing`` secondary indexes of view tables are no longer
    wanted (an earlier version's)."""
    wanted = {name for name, _, _ in index_names(hashing)}
    return sorted(set(existing) - wanted)


class ViewTransaction(ABC):
    """One transaction of the view, with the ledger's log readable beside it."""

    @abstractmethod
    def last_position(self) -> int:
        """The ledger's last notification position, as this transaction sees it."""

    @abstractmethod
    def extract(self, after: int, last: int, own: object) -> Iterator[None]:
        """Fill the tables from positions (after, last] (``projections.extract``),
        one statement per step; ``own`` is this node's journal id, whose facts stamp
        arrivals."""

    @abstractmethod
    def changes(self, after: int, last: int) -> list[tuple[int, bytes]]:
        """(position, stored document) of the revocations and corrections there."""

    @abstractmethod
    def fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Rows of one query inside the transaction."""

    @abstractmethod
    def execute(self, sql: str, params: dict[str, Any]) -> None:
        """Run one statement that returns no rows (temporary tables, say)."""

    @abstractmethod
    def insert(self, table: Table, row: Row) -> None:
        """Add one row."""

    @abstractmethod
    def close_version(self, table: Table, row_id: int, until: int) -> None:
        """Mark a row's version as superseded from position ``until``."""

    @abstractmethod
    def create_indexes(self) -> None:
        """Build any missing secondary index."""

    @abstractmethod
    def track(self, tracking: Tracking) -> None:
        """Record the position processed, in this transaction."""

    def open_version(self, org_id: str, origin: str, seq: int) -> Row | None:
        """The open version of one fact's row about ``org_id``, wherever it is
        (every table is indexed by organization: a handful of rows to look at)."""
        for table in TABLES:
            found = self.fetch(
                f"SELECT * FROM {{{table.name}}} WHERE org_id = :org "
                "AND origin = :origin AND seq = :seq AND until_pos IS NULL",
                {"org": org_id, "origin": origin, "seq": seq},
            )
            if found:
                return list(found[0])
        return None


@dataclass(frozen=True)
class Point:
    """Where a question stands: business date ``as_of``, knowledge position ``pos``."""

    as_of: str = FOREVER
    pos: int = 2**62
    broken: tuple[ChainBreak, ...] = ()
    """Chains recorded broken, when an auditor asked over them regardless: every
    answer at this point must say so (``models.base.marks``)."""
    known_at: str | None = None
    """The knowledge instant asked for (UTC ISO), that ``pos`` stands for; None
    when the point stands at everything the view held."""

    def params(self) -> dict[str, Any]:
        """The query parameters of this point."""
        return {"d": self.as_of, "p": self.pos}


class LedgerView(TrackingRecorder, ABC):
    """A node's views on one store; queries live in ``registry`` and ``rollup``."""

    hash_joins = False
    """Whether the store joins and groups large row sets by hashing (else: index
    lookups and sorted input)."""
    distinct_on = False
    """Whether the store has ``DISTINCT ON``: the first row of each group, in one
    ordered pass (else: one index seek per group)."""
    bulk_read: tuple[str, ...] = ()
    """Statements that set up a transaction reading most of the view at once."""
    concurrent_reads = False
    """Whether a roll-up gains by querying on a second connection while it merges
    (a server works beside the process; SQLite, in it, did not gain)."""
    like = "LIKE"
    """The store's LIKE that ignores the case of ASCII letters, and only theirs
    (SQLite's LIKE; ``projections.search``)."""
    narrows_names = False
    """Whether the store's search reads names with full-width forms narrowed
    (``queries.NAME_NARROWED``, trigram-indexed), else it narrows them per query."""
    status_table = chain_status.TABLE
    """Where the last verification of each chain is kept, as the store names it."""

    def after_rebuild(self) -> None:
        """Let the store learn the new tables' statistics (a no-op by default)."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[ViewTransaction]:
        """A transaction that commits when the block ends without an error."""

    def rebuild_transaction(self) -> AbstractContextManager[ViewTransaction]:
        """The transaction a rebuild fills the emptied view in (an ordinary one
        unless the store can do better)."""
        return self.transaction()

    @abstractmethod
    def fetch(self, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Rows of one query (``{view_...}`` tables and ``:name`` parameters)."""

    @abstractmethod
    def clear(self) -> None:
        """Forget every row and the tracking position, and drop the secondary
        indexes (a rebuild inserts faster without them, then builds them once)."""

    @abstractmethod
    def close(self) -> None:
        """Release the store's connections."""

    def position(self) -> int:
        """The last notification this view processed (0 before any)."""
        return self.max_tracking_id(TRACKING_NAME) or 0

    def knowledge(self, instant: str) -> int:
        """The last position this node had stored by ``instant`` (0 if none)."""
        found = self.fetch(
            "SELECT MAX(pos) FROM {view_arrivals} WHERE at <= :t", {"t": instant}
        )
        return int(found[0][0] or 0) if found else 0


def named_to_pyformat(sql: str) -> str:
    """``:name`` parameters as psycopg's ``%(name)s`` (casts ``::`` untouched)."""
    return re.sub(r"(?<![:\w]):([a-z_][a-z0-9_]*)", r"%(\1)s", sql.replace("%", "%%"))

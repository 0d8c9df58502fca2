"""The bulk of the projection, as SQL: fact documents into view rows, in the database.

Each view table is filled by one ``INSERT ... SELECT`` over a range of the ledger's
notification log, reading the stored fact documents (``domain.stored_form``) with the
store's JSON functions — no Python per fact. The two stores differ only in how a
document is parsed and a field read (``Dialect``); the statements are the same.
Revocations and corrections, which revise earlier rows, are applied afterwards by
``projections.processor`` in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.facts import JOURNAL_TOPIC
from projections.tables import (
    CHANGES,
    GRADES,
    IDENTITIES,
    POLICY_TYPES,
    SHARES,
    SUBSIDIES,
    TABLES,
    Table,
    column_type,
)

FUNDING = {column: column.removeprefix("s_") for column in SHARES}


@dataclass(frozen=True)
class Dialect:
    """How one store parses a stored document and reads its fields."""

    document: str
    """SQL parsing the row's ``state`` into ``j``."""
    position: str
    """The notification position column of the ledger's events table."""
    events: str
    """The ledger's events table, as the view's connection names it."""
    postgres: bool

    def text(self, path: str) -> str:
        """A field of ``j`` as text (``payload.org_id``)."""
        keys = path.split(".")
        if not self.postgres:
            return f"j->>'$.{path}'"
        head = "".join(f"->'{key}'" for key in keys[:-1])
        return f"j{head}->>'{keys[-1]}'"

    def integer(self, path: str) -> str:
        """A whole-number field of ``j``."""
        return f"({self.text(path)})::bigint" if self.postgres else self.text(path)

    def flag(self, path: str) -> str:
        """A boolean field of ``j`` as 0/1."""
        if self.postgres:
            return f"CASE WHEN ({self.text(path)})::boolean THEN 1 ELSE 0 END"
        return self.text(path)


def topics(*fact_types: str) -> str:
    """A SQL list of the stored topics of fact types."""
    return ", ".join(f"'{JOURNAL_TOPIC}.{t}'" for t in fact_types)


def rarer_facts() -> str:
    """The condition on the log's rows of every fact but grades and subsidies: the
    few a rebuild copies out in one pass instead of scanning the log per table."""
    return f"topic NOT IN ({topics(*GRADES.types, *SUBSIDIES.types)})"


def _own_columns(d: Dialect) -> dict[str, list[str]]:
    """Each table's own columns, as expressions over the document ``j``."""
    return {
        IDENTITIES.name: [
            d.text("type"),
            f"COALESCE({d.text('payload.name')}, {d.text('payload.node_name')})",
            *(
                d.text(f"payload.{c}")
                for c in ("category", "community", "uscc", "legal_form")
            ),
            d.text("payload.filing_number"),
            d.text("payload.outcome"),
        ],
        GRADES.name: [
            d.text("payload.scheme"),
            d.text("payload.grade"),
            d.flag("payload.passed"),
            d.text("payload.valid_until"),
        ],
        SUBSIDIES.name: [
            d.text("payload.program"),
            d.text("payload.period"),
            d.integer("payload.amount_fen"),
            *(
                f"COALESCE({d.integer(f'payload.shares.{source}')}, 0)"
                for source in FUNDING.values()
            ),
            d.text("payload.grade_scheme"),
            d.text("payload.grade"),
            "NULL",
        ],
        CHANGES.name: [
            d.text("type"),
            f"COALESCE({d.integer('payload.decision_seq')}, "
            f"{d.integer('payload.corrects_seq')})",
        ],
    }


def _selects(d: Dialect) -> list[tuple[Table, list[str], str]]:
    """Per fact table: its columns' expressions over ``j``, and the rows they
    read (positions (:after, :last] of the table's fact types)."""
    own = _own_columns(d)
    # PostgreSQL would inline the subquery and parse the document once per field.
    fence = " OFFSET 0" if d.postgres else ""
    selects = []
    for table in TABLES:
        columns = [
            f"pos * 16 + {table.index * 4}",
            "pos",
            d.text("node"),
            "seq",
            "NULL",
            d.text("payload.org_id"),
            d.text("payload.effective_on"),
            d.text("recorded_at"),
            *own[table.name],
        ]
        source = (
            f"FROM (SELECT {d.position} AS pos, originator_version AS seq, "
            f"{d.document} AS j FROM {d.events} WHERE {d.position} > :after "
            f"AND {d.position} <= :last AND topic IN ({topics(*table.types)}){fence}) e"
        )
        selects.append((table, columns, source))
    return selects


def insert_statements(d: Dialect, tables: dict[str, str]) -> list[str]:
    """The statements that fill every view table from positions (:after, :last]."""
    return [
        f"INSERT INTO {tables[table.name]} ({', '.join(table.all_columns)}) "
        f"SELECT {', '.join(columns)} {source}"
        for table, columns, source in _selects(d)
    ]


def recreate_statements(d: Dialect, tables: dict[str, str], collate: str) -> list[str]:
    """Statements that make each fact table anew from positions (:after, :last]
    (PostgreSQL: ``CREATE TABLE AS`` scans in parallel, ``INSERT`` does not), its
    columns typed as ``projections.view.create_statements`` types them; unlogged,
    as PostgreSQL keeps every view table (decision 0014)."""
    statements = []
    for table, columns, source in _selects(d):
        typed = [
            f"CAST({expression} AS {kind})" + (collate if kind == "TEXT" else "")
            for expression, kind in zip(
                columns, map(column_type, table.all_columns), strict=True
            )
        ]
        statements.append(
            f"CREATE UNLOGGED TABLE {tables[table.name]} "
            f"({', '.join(table.all_columns)}) "
            f"AS SELECT {', '.join(typed)} {source}"
        )
    return statements


def arrivals_statement(d: Dialect, tables: dict[str, str]) -> str:
    """The statement that stamps this node's own facts in (:after, :last]."""
    fence = " OFFSET 0" if d.postgres else ""
    return (
        f"INSERT INTO {tables['view_arrivals']} (pos, at) "
        f"SELECT pos, {d.text('recorded_at')} FROM ("
        f"SELECT {d.position} AS pos, {d.document} AS j FROM {d.events} "
        f"WHERE {d.position} > :after AND {d.position} <= :last "
        f"AND originator_id = :own{fence}) e"
    )


def policies_statement(d: Dialect, tables: dict[str, str]) -> str:
    """The statement that keeps the policies adopted in (:after, :last]."""
    fence = " OFFSET 0" if d.postgres else ""
    body = "(j->'payload')::text" if d.postgres else "json_extract(j, '$.payload')"
    return (
        f"INSERT INTO {tables['view_policies']} (pos, origin, seq, effective_on, body) "
        f"SELECT pos, {d.text('node')}, seq, {d.text('payload.effective_on')}, {body} "
        f"FROM (SELECT {d.position} AS pos, originator_version AS seq, "
        f"{d.document} AS j FROM {d.events} "
        f"WHERE {d.position} > :after AND {d.position} <= :last "
        f"AND topic IN ({topics(*POLICY_TYPES)}){fence}) e"
    )


def extract_statements(d: Dialect, tables: dict[str, str]) -> list[str]:
    """Every statement a step runs, in order."""
    return [
        *insert_statements(d, tables),
        arrivals_statement(d, tables),
        policies_statement(d, tables),
    ]


def changes_statement(d: Dialect, tables: dict[str, str]) -> str:
    """The revocations and corrections in (:after, :last], in order, as stored —
    found through the changes table the step has just filled, not by reading the
    whole range of the log again."""
    return (
        f"SELECT {d.position}, state FROM {d.events} "
        f"WHERE {d.position} IN (SELECT pos FROM {tables[CHANGES.name]} "
        f"WHERE pos > :after AND pos <= :last) ORDER BY {d.position}"
    )

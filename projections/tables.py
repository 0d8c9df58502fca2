"""The view's tables: which columns each fact fills, the same on both stores.

Facts about organizations become rows of four narrow tables — identities (filing,
registration, upgrade, deregistration, and each node's genesis for its name), grades,
subsidies, and changes (revocations and corrections) — keyed by ``id`` and stamped with
``pos``, the position at which this node learned that *version* of the fact
(``projections.extract`` fills them). A correction or a revocation adds a version of
the fact it changes and closes the previous one (``until_pos``): the tables answer for
any knowledge position, and their ``effective_on`` for any business date.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.money import FUNDING_SOURCES

ENVELOPE = (
    "id",
    "pos",
    "origin",
    "seq",
    "until_pos",
    "org_id",
    "effective_on",
    "recorded_at",
)
SHARES = tuple(f"s_{source}" for source in FUNDING_SOURCES)


@dataclass(frozen=True)
class Table:
    """One view table: its name, its own columns after the envelope, its fact types."""

    name: str
    index: int
    columns: tuple[str, ...]
    types: tuple[str, ...]
    renamed: tuple[tuple[str, str], ...] = ()

    @property
    def all_columns(self) -> tuple[str, ...]:
        """Every column, in storage order."""
        return ENVELOPE + self.columns

    def column(self, name: str) -> int:
        """The position of a column in a row."""
        return self.all_columns.index(name)


IDENTITIES = Table(
    "view_identities",
    0,
    (
        "type",
        "name",
        "category",
        "community",
        "uscc",
        "legal_form",
        "filing_number",
        "outcome",
    ),
    (
        "LedgerOpened",
        "OrganizationFiled",
        "OrganizationRegistered",
        "OrganizationUpgraded",
        "OrganizationDeregistered",
    ),
    (("node_name", "name"),),
)
GRADES = Table(
    "view_grades",
    1,
    ("scheme", "grade", "passed", "valid_until"),
    ("GradeEvaluated",),
)
SUBSIDIES = Table(
    "view_subsidies",
    2,
    (
        "program",
        "period",
        "amount_fen",
        *SHARES,
        "basis_scheme",
        "basis_grade",
        "revoked_on",
    ),
    ("SubsidyDecided",),
    (("grade", "basis_grade"), ("grade_scheme", "basis_scheme")),
)
CHANGES = Table(
    "view_changes",
    3,
    ("type", "ref_seq"),
    ("SubsidyRevoked", "FactCorrected"),
    (("decision_seq", "ref_seq"), ("corrects_seq", "ref_seq")),
)
TABLES = (IDENTITIES, GRADES, SUBSIDIES, CHANGES)
BY_TYPE = {fact_type: table for table in TABLES for fact_type in table.types}
"""The table each fact type's rows go to; types not here make no rows."""
POLICY_TYPES = ("PolicyAdopted",)
"""Fact types kept whole, as the policies reconciliation reads (``view_policies``)."""
NOT_VIEWED = frozenset(
    {"ChildEnrolled", "Checkpoint", "BatchReceived", "ForkDetected", "ForkResolved"}
)
"""Fact types no view table holds: the network's own records (trust, checkpoints,
receipts, forks), read from the journal where they are needed."""

Row = list[Any]

_TYPES = {
    "id": "BIGINT",
    "type": "TEXT",
    "seq": "BIGINT",
    "pos": "BIGINT",
    "until_pos": "BIGINT",
    "passed": "INTEGER",
    "amount_fen": "BIGINT",
    "ref_seq": "BIGINT",
    **dict.fromkeys(SHARES, "BIGINT"),
}


def column_type(column: str) -> str:
    """The SQL type of a fact table's column (every other column is TEXT)."""
    return _TYPES.get(column, "TEXT")


def row_id(pos: int, table: Table, kind: int) -> int:
    """A row's id: by position, then table, then which of a fact's rows (the fact's
    own, or a version it causes) — unique, and in insertion order."""
    return pos * 16 + table.index * 4 + kind


def table_of(row_id_: int) -> Table:
    """The table a row id belongs to."""
    return TABLES[(row_id_ // 4) % 4]


def fill(row: Row, table: Table, fields: dict[str, Any]) -> None:
    """Set the columns ``fields`` fill (a payload, a replacement, a revocation)."""
    renamed = dict(table.renamed)
    columns = table.all_columns
    for key, value in fields.items():
        name = renamed.get(key, key)
        # A correction names its fact by seq only: fields another type of fact
        # would have are not this table's, and leave the row as it is.
        if name == "shares" and table is SUBSIDIES:
            for source, column in zip(FUNDING_SOURCES, SHARES, strict=True):
                row[columns.index(column)] = value.get(source, 0)
        elif name == "passed" and table is GRADES:
            row[columns.index("passed")] = int(value)
        elif name in columns and name not in ENVELOPE[:6]:
            row[columns.index(name)] = value


def version(row: Row, pos: int, kind: int, changes: dict[str, Any]) -> Row:
    """A new version of ``row``, learned at ``pos``, with ``changes`` applied."""
    table = table_of(row[0])
    fresh = list(row)
    fresh[0], fresh[1], fresh[4] = row_id(pos, table, kind), pos, None
    fill(fresh, table, changes)
    return fresh

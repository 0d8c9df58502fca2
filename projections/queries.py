"""The view's SQL, written once for SQLite and PostgreSQL.

Every query reads the versions of facts known at position ``:p`` that are in force on
date ``:d`` (``known``). Queries stay single-table or join through an index, so both
stores answer from a million facts within the second. Parameters are ``:name``
(SQLite's style; the PostgreSQL view rewrites them); tables are ``{view_...}`` (the
PostgreSQL view qualifies them with the node's schema).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence


def known(alias: str = "", p: str = "p", d: str = "d") -> str:
    """The versions known at position :p, in force on date :d (parameters named
    ``p`` and ``d``)."""
    a = f"{alias}." if alias else ""
    return (
        f"{a}pos <= :{p} AND ({a}until_pos IS NULL OR {a}until_pos > :{p}) "
        f"AND {a}effective_on <= :{d}"
    )


KNOWN = known()

IDENTITY = f"""
    SELECT org_id, type, origin, seq, effective_on, name, category, community, uscc,
           legal_form, filing_number, outcome
    FROM {{view_identities}} WHERE type <> 'LedgerOpened' AND {KNOWN}"""
"""The facts that make an organization what it is (``projections.orgs`` merges them)."""

LATEST_GRADES_SEEK = f"""
    SELECT g.org_id, g.scheme, g.grade, g.passed, g.valid_until, g.effective_on,
           g.origin, g.seq
    FROM (SELECT DISTINCT org_id, scheme FROM {{view_grades}} {{only}}) o
    JOIN {{view_grades}} g ON g.id = (
        SELECT x.id FROM {{view_grades}} x
        WHERE x.org_id = o.org_id AND x.scheme = o.scheme AND {known("x")}
        ORDER BY x.effective_on DESC, x.origin DESC, x.seq DESC LIMIT 1)"""
"""Each organization's latest evaluation per scheme (on :d, as known at :p; on one
day, the later origin, then seq), by one index seek per organization and scheme
(SQLite: a seek is cheap, grouping every evaluation ever made is not)."""

_CLASS = """CASE WHEN COALESCE(x.passed, 0) = 0 THEN 'not_passed'
                    WHEN x.valid_until <> '' AND x.valid_until <= :d THEN 'expired'
                    ELSE x.grade END"""
"""What a roll-up counts of evaluation ``x``: grade, not passed, or expired on :d."""

LATEST_CLASSES_SEEK = f"""
    SELECT o.org_id, o.scheme, (
        SELECT {_CLASS}
        FROM {{view_grades}} x
        WHERE x.org_id = o.org_id AND x.scheme = o.scheme AND {known("x")}
        ORDER BY x.effective_on DESC, x.origin DESC, x.seq DESC LIMIT 1)
    FROM (SELECT DISTINCT org_id, scheme FROM {{view_grades}}) o"""
"""The class of each latest evaluation (NULL where none is known), from the grades'
index alone."""

LATEST_GRADES_DISTINCT_ON = f"""
    SELECT DISTINCT ON (org_id, scheme) org_id, scheme, grade, passed, valid_until,
           effective_on, origin, seq
    FROM {{view_grades}} WHERE {KNOWN} {{only}}
    ORDER BY org_id, scheme, effective_on DESC, origin DESC, seq DESC"""
"""The same in one pass over the grades' index, latest first (PostgreSQL)."""

LATEST_CLASSES_DISTINCT_ON = f"""
    SELECT DISTINCT ON (x.org_id, x.scheme) x.org_id, x.scheme, {_CLASS}
    FROM {{view_grades}} x WHERE {known("x")}
    ORDER BY x.org_id, x.scheme, x.effective_on DESC, x.origin DESC, x.seq DESC"""
"""The class of each latest evaluation in that one pass."""

LATEST_GRADE_SEEK = f"""
    SELECT o.org_id, (
        SELECT x.grade FROM {{view_grades}} x
        WHERE x.org_id = o.org_id AND x.scheme = o.scheme AND {known("x")}
        ORDER BY x.effective_on DESC, x.origin DESC, x.seq DESC LIMIT 1)
    FROM (SELECT DISTINCT org_id, scheme FROM {{view_grades}} {{only}}) o"""
"""Each organization's latest grade per scheme (NULL where none is known), from the
grades' index alone: what a grade filter compares."""

LATEST_GRADE_DISTINCT_ON = f"""
    SELECT DISTINCT ON (org_id, scheme) org_id, grade
    FROM {{view_grades}} WHERE {KNOWN} {{only}}
    ORDER BY org_id, scheme, effective_on DESC, origin DESC, seq DESC"""
"""The same in one ordered pass (PostgreSQL)."""

LIVE = f"{KNOWN} AND (revoked_on IS NULL OR revoked_on > :d)"
"""Subsidies decided by :d and not revoked by then, as known at :p."""

ROLLUP_SUBSIDIES = f"""
    SELECT origin, period, program, COUNT(*), SUM(amount_fen), SUM(s_lottery),
           SUM(s_district), SUM(s_street), SUM(s_community), SUM(s_social)
    FROM {{view_subsidies}} WHERE {LIVE}
    GROUP BY origin, period, program"""
"""Live subsidies per deciding node, period and program: count, total and each
funding source's share (an index answers it alone, in this order)."""

LIVE_PER_ORG = f"""
    SELECT org_id, COUNT(*), SUM(amount_fen) FROM {{view_subsidies}}
    WHERE {LIVE} {{only}} GROUP BY org_id"""

ORG_SUBSIDIES = f"""
    SELECT origin, seq, period, program, amount_fen, basis_scheme, basis_grade,
           effective_on, revoked_on
    FROM {{view_subsidies}} WHERE org_id = :org AND {KNOWN}
    ORDER BY effective_on, origin, seq"""

FACT_KINDS = (
    ("view_identities", "type"),
    ("view_grades", "'GradeEvaluated'"),
    ("view_subsidies", "'SubsidyDecided'"),
    ("view_changes", "type"),
)
"""Each fact table and how its rows name their fact type."""


def every_fact(columns: str, where: str) -> str:
    """``columns`` (``{kind}`` for the fact type) of every fact table's rows that
    match ``where``, as one query."""
    return " UNION ALL ".join(
        f"SELECT {columns.format(kind=kind)} FROM {{{table}}} WHERE {where}"
        for table, kind in FACT_KINDS
    )


TIMELINE = every_fact(
    "origin, seq, {kind}, effective_on, recorded_at", f"org_id = :org AND {KNOWN}"
)
"""Every fact about one organization (the caller orders them)."""

NODE_NAMES = "SELECT origin, name FROM {view_identities} WHERE type = 'LedgerOpened'"


def _having(condition: str) -> str:
    """The organizations with an identity fact known at the point that meets
    ``condition``, as a condition on ``org_id``."""
    return f"""org_id IN (
        SELECT org_id FROM {{view_identities}}
        WHERE type <> 'LedgerOpened' AND {KNOWN} AND ({condition}))"""


WIDE = "".join(chr(point) for point in range(0xFF01, 0xFF5F)) + "\u3000"
"""The full-width forms of ASCII's printable characters (全角), and the ideographic
space."""
NARROW = "".join(chr(point) for point in range(0x21, 0x7F)) + " "
"""The ASCII characters they stand for (半角), in the same order."""
WIDE_CLASS = f"[{WIDE[0]}-{WIDE[-2]}{WIDE[-1]}]"
"""The full-width forms, as a character class (GLOB, regular expressions)."""
WIDE_GLOB = f"*{WIDE_CLASS}*"
"""A GLOB matching text that holds a full-width form."""


def _quoted(text: str) -> str:
    """``text`` as an SQL string constant."""
    return "'" + text.replace("'", "''") + "'"


NAME_NARROWED = (
    f"(CASE WHEN name ~ '{WIDE_CLASS}' "
    f"THEN translate(name, {_quoted(WIDE)}, {_quoted(NARROW)}) ELSE name END)"
)
"""A name with its full-width forms narrowed (PostgreSQL: a trigram index holds it,
``postgres_trigrams``; in a query, as ``formattable`` makes it). ``translate`` only
where there is something to narrow: it costs ten times the rest of a scan."""


def formattable(sql: str) -> str:
    """``sql`` with its braces doubled: a query's text goes through ``str.format``,
    which fills in its ``{view_...}`` tables."""
    return sql.replace("{", "{{").replace("}", "}}")


def matching(like: str, name: str) -> str:
    """Organizations with a name, filing number or USCC holding the search text in
    a fact known at the point, as a condition on ``org_id``: a superset of those
    whose state holds it. ``name``: the store's condition on the name (``like``:
    its LIKE, blind to the case of ASCII letters)."""
    return _having(
        f"{name} OR filing_number {like} :q_ident ESCAPE '\\' "
        f"OR uscc {like} :q_ident ESCAPE '\\'"
    )


def in_area(param: str) -> str:
    """Organizations with a fact known at the point recorded at, or naming a
    community, under the prefix pattern :``param``: a superset of those whose home
    is there (``orgs._home`` takes it from one of those)."""
    return _having(f"community LIKE :{param} OR origin LIKE :{param}")


OF_CATEGORY = _having("category = :category")
"""Organizations filed with the category :category in a fact known at the point."""


PAID_IN_PERIOD = f"""
    SELECT DISTINCT org_id FROM {{view_subsidies}}
    WHERE {LIVE} AND period = :period {{only}}"""
"""Organizations with a live subsidy for :period on :d, as known at :p."""


@dataclass(frozen=True)
class Scope:
    """Which organizations a query reads: a condition on ``org_id`` and its values."""

    condition: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def one(cls, org_id: str) -> Scope:
        """One organization."""
        return cls("org_id = :org", {"org": org_id})

    @classmethod
    def ids(cls, org_ids: Sequence[str]) -> Scope:
        """The organizations listed (at least one)."""
        names = [f"o{number}" for number in range(len(org_ids))]
        listed = ", ".join(f":{name}" for name in names)
        return cls(f"org_id IN ({listed})", dict(zip(names, org_ids, strict=True)))


def scoped(sql: str, scope: Scope | None, keyword: str = "AND") -> str:
    """``sql`` with its ``{only}`` placeholder filled by the scope's condition."""
    return sql.replace("{only}", f"{keyword} {scope.condition}" if scope else "")

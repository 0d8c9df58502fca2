"""The subsidy decisions worth a closer look, found in SQL.

A million-fact district holds hundreds of thousands of live decisions; moving them all
into Python costs more than reconciling them. One statement keeps only the decisions a
rule could flag — shares off the amount, no cited grade, an organization unknown or
closed here, paid more than once, off its policy's cap, split or band, or citing a
grade that is not the one in force — and ``projections.reconcile`` judges those in full.
The filter only widens what Python sees: every finding is still decided there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.codes import NodeCode
from domain.money import FUNDING_SOURCES
from projections import queries

if TYPE_CHECKING:
    from domain.policy import Policy, Program
    from projections.view import ViewTransaction

IDENTIFYING = ("OrganizationFiled", "OrganizationRegistered")
"""Identity facts that make an organization known to a node."""
IDENTIFYING_SQL = "(" + ", ".join(f"'{t}'" for t in IDENTIFYING) + ")"
COLUMNS = (
    "s.origin, s.seq, s.org_id, s.program, s.period, s.amount_fen, s.s_lottery, "
    "s.s_district, s.s_street, s.s_community, s.s_social, s.basis_scheme, "
    "s.basis_grade, s.effective_on"
)
NEVER = "9999-12-31"
BEGINNING = "0000-01-01"


Regime = tuple[str, str, str, str, "Program | None"]
"""(origin, program, from, until, the program's rules or None)."""


def regimes(
    policies: dict[str, list[Policy]], pairs: list[tuple[str, str]]
) -> list[Regime]:
    """(origin, program, from, until, rules or None) for each deciding origin and
    program: which policy program governs its decisions in each date interval. The
    intervals cover all time, so every decision falls in exactly one."""
    found = []
    for origin, program in pairs:
        nodes = chain(origin)
        days = {p.effective_on for n in nodes for p in policies.get(n, ())}
        starts = sorted(days | {BEGINNING})
        for start, end in zip(starts, [*starts[1:], NEVER], strict=True):
            governing = governing_program(policies, nodes, start, program)
            found.append((origin, program, start, end, governing))
    return found


def governing_program(
    policies: dict[str, list[Policy]], chain: list[str], day: str, program: str
) -> Program | None:
    """The program rules of the nearest node in ``chain`` whose latest policy by
    ``day`` covers ``program``."""
    for node in chain:
        adopted = [p for p in policies.get(node, ()) if p.effective_on <= day]
        if adopted and program in adopted[-1].programs:
            return adopted[-1].programs[program]
    return None


def chain(origin: str) -> list[str]:
    """The node and its ancestors, nearest first."""
    code: NodeCode | None = NodeCode(origin)
    found = []
    while code is not None:
        found.append(code.value)
        code = code.parent
    return found


TEMPORARY = (
    "CREATE TEMPORARY TABLE recon_reg (origin TEXT, program TEXT, from_on TEXT, "
    "until_on TEXT, idx INTEGER, ruled INTEGER, cap BIGINT, split INTEGER, "
    + ", ".join(f"p_{s} INTEGER" for s in FUNDING_SOURCES)
    + ")",
    "CREATE INDEX recon_reg_key ON recon_reg (origin, program, from_on)",
    "CREATE TEMPORARY TABLE recon_band (idx INTEGER, scheme TEXT, grade TEXT, "
    "low BIGINT, high BIGINT)",
    "CREATE INDEX recon_band_key ON recon_band (idx, scheme, grade)",
)
"""Where the policies' regimes and bands wait for the suspects query (one
transaction; indexed, so each decision finds its regime by a lookup)."""
DROP = ("DROP TABLE recon_reg", "DROP TABLE recon_band")


GRADED_JOIN = """LEFT JOIN graded gi ON gi.org_id = s.org_id
        AND gi.scheme = s.basis_scheme AND s.effective_on >= gi.from_on
        AND (gi.until_on IS NULL OR s.effective_on < gi.until_on)"""
"""Each decision's grade in force: the evaluation interval its date falls in."""
GRADED_FAILS = """(gi.grade IS NULL OR gi.grade <> s.basis_grade OR gi.passed = 0
        OR (gi.valid_until IS NOT NULL AND gi.valid_until <= s.effective_on))"""


def _scope(alias: str) -> str:
    """Versions of the decision's organization's grades in its cited scheme, known
    at :p (the grades index answers it)."""
    g = alias
    return (
        f"{g}.org_id = s.org_id AND {g}.scheme = s.basis_scheme AND {g}.pos <= :p "
        f"AND ({g}.until_pos IS NULL OR {g}.until_pos > :p)"
    )


def prepare(txn: ViewTransaction, found: list[Regime]) -> None:
    """Fill the temporary tables with the regimes and their bands."""
    for statement in TEMPORARY:
        txn.execute(statement, {})
    columns = ", ".join(f":q{k}" for k in range(len(FUNDING_SOURCES)))
    insert_reg = (
        f"INSERT INTO recon_reg VALUES (:o, :p, :f, :u, :i, :r, :c, :s, {columns})"
    )
    insert_band = "INSERT INTO recon_band VALUES (:i, :s, :g, :l, :h)"
    for n, (origin, program, start, end, rules) in enumerate(found):
        split = (rules.split if rules else None) or {}
        cap = -1 if rules is None or rules.cap_fen is None else rules.cap_fen
        row = {"o": origin, "p": program, "f": start, "u": end, "i": n,
               "r": 1 if rules else 0, "c": cap, "s": 1 if split else 0}  # fmt: skip
        row |= {f"q{k}": split.get(s, 0) for k, s in enumerate(FUNDING_SOURCES)}
        txn.execute(insert_reg, row)
        for scheme, grades in (rules.bands if rules else {}).items():
            for grade, (low, high) in grades.items():
                band = {"i": n, "s": scheme, "g": grade, "l": low, "h": high}
                txn.execute(insert_band, band)


def statement(*, hash_joins: bool) -> str:
    """The suspects query over the prepared regimes and bands, at point :p, :d.

    The grade in force for each decision is found by a join on grade intervals where
    the store hashes joins (PostgreSQL), by an index lookup per decision where it
    does not (SQLite): each is the other's slow path."""
    shares = " + ".join(f"s.s_{s}" for s in FUNDING_SOURCES)
    off_split = " OR ".join(
        f"abs(s.s_{s} * 100 - s.amount_fen * r.p_{s}) >= 100" for s in FUNDING_SOURCES
    )
    # PostgreSQL only (hash_joins): inlined, so the join can run in parallel; byte
    # order sorts faster than the locale's and orders ISO dates and codes the same.
    graded = f"""graded AS NOT MATERIALIZED (
        SELECT org_id, scheme, grade, passed, valid_until, effective_on AS from_on,
               LEAD(effective_on) OVER (
                   PARTITION BY org_id COLLATE "C", scheme COLLATE "C"
                   ORDER BY effective_on COLLATE "C", origin COLLATE "C", seq
               ) AS until_on
        FROM {{view_grades}} WHERE {queries.KNOWN}),
    """
    last_day = (
        f"SELECT MAX(h.effective_on) FROM {{view_grades}} h WHERE {_scope('h')} "
        "AND h.effective_on <= s.effective_on"
    )
    # 1 when every evaluation on the last day by the decision is the cited grade,
    # passed and in force; 0 when one is not; NULL when there is none.
    cited_holds = (
        "COALESCE((SELECT MIN(CASE WHEN g.grade = s.basis_grade AND g.passed = 1 AND "
        "(g.valid_until IS NULL OR g.valid_until > s.effective_on) THEN 1 ELSE 0 END) "
        f"FROM {{view_grades}} g WHERE {_scope('g')} "
        f"AND g.effective_on = ({last_day})), 0) = 0"
    )
    live = queries.LIVE.replace("pos", "s.pos").replace("until_s.pos", "s.until_pos")
    live = live.replace("effective_on", "s.effective_on").replace(
        "revoked_on", "s.revoked_on"
    )
    known = queries.KNOWN
    return f"""
    WITH {graded if hash_joins else ""}dup AS MATERIALIZED (
        SELECT org_id, program, period FROM {{view_subsidies}} WHERE {queries.LIVE}
        GROUP BY org_id, program, period HAVING COUNT(*) > 1)
    SELECT {COLUMNS} FROM {{view_subsidies}} s
    JOIN recon_reg r ON r.origin = s.origin AND r.program = s.program
        AND s.effective_on >= r.from_on AND s.effective_on < r.until_on
    {GRADED_JOIN if hash_joins else ""}
    LEFT JOIN recon_band b ON b.idx = r.idx AND b.scheme = s.basis_scheme
         AND b.grade = s.basis_grade
    WHERE {live} AND (
        {shares} <> s.amount_fen
        OR s.basis_scheme IS NULL
        OR s.org_id NOT IN (SELECT org_id FROM {{view_identities}}
                            WHERE type IN {IDENTIFYING_SQL} AND {known})
        OR s.org_id IN (SELECT org_id FROM {{view_identities}}
                        WHERE type = 'OrganizationDeregistered' AND {known})
        OR (s.org_id, s.program, s.period) IN (SELECT org_id, program, period FROM dup)
        OR (r.ruled = 1 AND (
            (r.cap >= 0 AND s.amount_fen > r.cap)
            OR (r.split = 1 AND ({off_split}))
            OR s.amount_fen < b.low OR s.amount_fen > b.high
            OR (b.idx IS NULL AND EXISTS (SELECT 1 FROM recon_band b2
                WHERE b2.idx = r.idx AND b2.scheme = s.basis_scheme))))
        OR {GRADED_FAILS if hash_joins else cited_holds}
    )"""

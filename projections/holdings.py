"""What a node holds at a point, shaped for reconciliation: every live subsidy, every
grade, every identity fact, and the policies in force — read once from the views."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

from domain.money import FUNDING_SOURCES
from domain.policy import Policy, Program
from projections import queries, suspects

if TYPE_CHECKING:
    from projections.hearing import Hearing
    from projections.view import LedgerView, Point

GRADES = f"""
    SELECT org_id, scheme, grade, passed, valid_until, effective_on, origin, seq
    FROM {{view_grades}} WHERE {queries.KNOWN}"""
UNUSUAL_GRADES = (
    GRADES
    + f""" AND (org_id NOT IN (SELECT org_id FROM {{view_identities}}
         WHERE type IN {suspects.IDENTIFYING_SQL} AND {queries.KNOWN})
      OR org_id IN (SELECT org_id FROM {{view_identities}}
         WHERE type = 'OrganizationDeregistered' AND {queries.KNOWN}))"""
)
"""Grades of organizations unknown here (R7) or deregistered (R8)."""
PAIRS = "SELECT DISTINCT origin, program FROM {view_subsidies}"
CHUNK = 500
IDENTITIES = f"""
    SELECT org_id, type, origin, seq, effective_on, name, community, uscc,
           filing_number
    FROM {{view_identities}} WHERE type <> 'LedgerOpened' AND {queries.KNOWN}"""
STAMPS = " UNION ALL ".join(
    f"SELECT origin, seq, recorded_at FROM {{{table}}} WHERE org_id = :o"
    for table in ("view_identities", "view_grades", "view_subsidies")
)
"""When each fact about one organization was recorded at its origin."""
POLICIES = """
    SELECT origin, seq, effective_on, body FROM {view_policies}
    WHERE pos <= :p AND effective_on <= :d"""


class Subsidy(NamedTuple):
    """A live subsidy decision, as reconciliation reads it."""

    origin: str
    seq: int
    org_id: str
    program: str
    period: str
    amount_fen: int
    shares: dict[str, int]
    scheme: str | None
    grade: str | None
    decided_on: str

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> Subsidy:
        """From a row of the suspects query (``suspects.COLUMNS``)."""
        shares = {
            s: int(v or 0) for s, v in zip(FUNDING_SOURCES, row[6:11], strict=True)
        }
        origin, seq, org_id, program, period = row[:5]
        return cls(
            origin, seq, org_id, program, period, int(row[5]), shares, *row[11:14]
        )


class Grade(NamedTuple):
    """One evaluation of an organization."""

    org_id: str
    scheme: str
    grade: str
    passed: bool
    valid_until: str | None
    evaluated_on: str
    origin: str
    seq: int

    def in_force(self, day: str) -> bool:
        """Passed and not yet expired on ``day``."""
        return self.passed and (self.valid_until is None or self.valid_until > day)


class Identity(NamedTuple):
    """A filing, registration, upgrade or deregistration fact."""

    org_id: str
    type: str
    origin: str
    seq: int
    effective_on: str
    name: str | None
    community: str | None
    uscc: str | None
    filing_number: str | None


@dataclass
class Holdings:
    """Everything reconciliation reads, at one point."""

    point: Point
    subsidies: list[Subsidy]
    grades: dict[tuple[str, str], list[Grade]]
    """(org_id, scheme) -> evaluations by date, origin, seq."""
    identities: list[Identity]
    policies: dict[str, list[Policy]]
    """Adopting node -> its policies in force by the point's date, oldest first."""
    hearing: Hearing | None = None
    """When the node last heard from each descendant (findings then pend); None:
    nothing pends."""
    view: LedgerView | None = field(default=None, repr=False)
    _chains: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _stamps: dict[str, dict[tuple[str, int], str]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def read(
        cls, view: LedgerView, point: Point, hearing: Hearing | None = None
    ) -> Holdings:
        """Read, at ``point``, the decisions worth judging (``projections.suspects``),
        every identity fact and policy, and the grades of the organizations involved."""
        params = point.params()
        with view.transaction() as txn:
            for setting in view.bulk_read:
                txn.execute(setting, {})
            policies: dict[str, list[Policy]] = defaultdict(list)
            for origin, seq, on, body in sorted(
                txn.fetch(POLICIES, params), key=lambda r: (r[2], r[1])
            ):
                policy = Policy.of(origin, seq, on, orjson.loads(body))
                policies[origin].append(policy)
            pairs = [(o, p) for o, p in txn.fetch(PAIRS, {})]
            suspects.prepare(txn, suspects.regimes(policies, pairs))
            rows = txn.fetch(suspects.statement(hash_joins=view.hash_joins), params)
            for statement in suspects.DROP:
                txn.execute(statement, {})
        subsidies = [Subsidy.of(row) for row in rows]
        held = cls(
            point=point,
            subsidies=subsidies,
            grades={},
            identities=[Identity(*row) for row in view.fetch(IDENTITIES, params)],
            policies=dict(policies),
            hearing=hearing,
            view=view,
        )
        held.grades = _grades(view, params, sorted({s.org_id for s in subsidies}))
        return held

    @cached_property
    def known_orgs(self) -> set[str]:
        """Organizations a filing or registration makes known here."""
        return {i.org_id for i in self.identities if i.type in suspects.IDENTIFYING}

    @cached_property
    def homes(self) -> dict[str, set[str]]:
        """Where each organization was filed or registered: the nodes (and their
        ancestors) that can know it."""
        found: dict[str, set[str]] = defaultdict(set)
        for i in self.identities:
            if i.type in suspects.IDENTIFYING:
                found[i.org_id].add(i.origin)
        return dict(found)

    def recorded_at(self, fact: Subsidy | Grade | Identity) -> str:
        """When ``fact`` was recorded at its origin (read per organization, for the
        few findings that ask)."""
        stamps = self._stamps.get(fact.org_id)
        if stamps is None:
            assert self.view is not None, "holdings read from a view"
            rows = self.view.fetch(STAMPS, {"o": fact.org_id})
            stamps = self._stamps[fact.org_id] = {(o, s): at for o, s, at in rows}
        return stamps[fact.origin, fact.seq]

    @cached_property
    def names(self) -> dict[str, str]:
        """An organization's name, from its identity facts."""
        return {i.org_id: i.name for i in self.identities if i.name}

    def grade_on(self, org_id: str, scheme: str, day: str) -> Grade | None:
        """The organization's evaluation in force on ``day`` in a scheme (the latest
        by then; same-day ties go to the later origin and seq)."""
        found = self.grades.get((org_id, scheme))
        if not found:
            return None
        at = bisect.bisect_right(found, day, key=lambda g: g.evaluated_on)
        return found[at - 1] if at else None

    def program(self, origin: str, day: str, program: str) -> Program | None:
        """The program rules ``origin``'s decision of ``day`` falls under: the
        nearest node up the tree whose latest policy by then covers it."""
        nodes = self._chains.get(origin)
        if nodes is None:
            nodes = self._chains[origin] = suspects.chain(origin)
        return suspects.governing_program(self.policies, nodes, day, program)


def _grades(
    view: LedgerView, params: dict[str, Any], orgs: list[str]
) -> dict[tuple[str, str], list[Grade]]:
    """Grades of ``orgs`` and of organizations unknown or closed here, by date."""
    rows = list(view.fetch(UNUSUAL_GRADES, params))
    for start in range(0, len(orgs), CHUNK):
        chunk = orgs[start : start + CHUNK]
        names = {f"o{n}": org for n, org in enumerate(chunk)}
        listed = ", ".join(f":{name}" for name in names)
        rows.extend(view.fetch(GRADES + f" AND org_id IN ({listed})", params | names))
    grades: dict[tuple[str, str], list[Grade]] = defaultdict(list)
    seen: set[tuple[str, int]] = set()
    for row in rows:
        org_id, scheme, grade_, passed, valid_until, on, origin, seq = row
        if (origin, seq) in seen:
            continue  # an organization both listed and unusual
        seen.add((origin, seq))
        grade = Grade(
            org_id, scheme, grade_, bool(passed), valid_until, on, origin, seq
        )
        grades[org_id, scheme].append(grade)
    for found in grades.values():
        found.sort(key=lambda g: (g.evaluated_on, g.origin, g.seq))
    return dict(grades)

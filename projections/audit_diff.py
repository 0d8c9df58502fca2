"""Audit diffs: what changed in a node's roll-up from one standpoint to another —
two business dates, two knowledge instants, or both — and the facts that did it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.codes import TIERS
from projections import queries, rollup
from projections.models.audit_diff import (
    SHOWN_FACTS,
    AuditDiff,
    CountChange,
    FactInDiff,
    GradeChange,
    GradeGiven,
    Money,
    MoneyChange,
    Standpoint,
    SubsidyGiven,
)
from projections.models.base import marks
from projections.orgs import org_states
from projections.view import FOREVER, Point

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.codes import NodeCode
    from projections.models.rollup import Rollup
    from projections.view import LedgerView

DIFFERENCE = f"{queries.known()} AND NOT ({queries.known(p='bp', d='bd')})"
"""Versions known and in force at the later point (:p, :d), not at the earlier
(:bp, :bd): new facts, facts come into force, and versions a revision made."""
_DETAILS = {
    "view_identities": "",
    "view_grades": ", scheme, grade, passed",
    "view_subsidies": ", period, program, amount_fen, revoked_on",
    "view_changes": ", ref_seq",
}
"""What each fact table tells of its facts beyond the envelope."""

Key = str | None
"""A roll-up row by its code; None for every row together."""
MoneyKey = tuple[str, str | None, str | None]
"""Period, program and deciding tier (None, None: every program and tier)."""
Figures = tuple[dict[str, int], dict[tuple[str, str], int], dict[MoneyKey, Money]]
"""A row's organization counts, grade classes and money."""
NO_MONEY = Money(count=0, total_fen=0, by_source={})
EMPTY: Figures = ({}, {}, {})


def diff(view: LedgerView, node: NodeCode, before: Point, after: Point) -> AuditDiff:
    """What changed in the roll-up from ``before`` to ``after``, and the facts in
    force and known at ``after`` but not at ``before``."""
    names = rollup.node_names(view)
    old = _rows(rollup.rollup(view, node, before))
    new = _rows(rollup.rollup(view, node, after))
    changed = Changes()
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k is None, k or "")):
        named = {"node": key, "node_name": None if key is None else names(key)}
        changed.compare(named, old.get(key, EMPTY), new.get(key, EMPTY))
    shown, total = facts(view, before, after, names)
    return AuditDiff(
        chain_broken=marks(after), node=node.value, node_name=names(node.value),
        from_=_standpoint(before), to=_standpoint(after),
        organizations=changed.orgs, grades=changed.grades, money=changed.money,
        facts=shown, facts_total=total,
    )  # fmt: skip


class Changes:
    """The figures that changed, row by row."""

    def __init__(self) -> None:
        self.orgs: list[CountChange] = []
        self.grades: list[GradeChange] = []
        self.money: list[MoneyChange] = []

    def compare(self, named: dict[str, Any], old: Figures, new: Figures) -> None:
        """Add what differs between a row's ``old`` and ``new`` figures."""
        for figure in {**old[0], **new[0]}:
            was, now = old[0].get(figure, 0), new[0].get(figure, 0)
            if was != now:
                self.orgs.append(CountChange(**named, figure=figure, from_=was, to=now))
        for scheme, grade in sorted(old[1].keys() | new[1].keys()):
            was, now = old[1].get((scheme, grade), 0), new[1].get((scheme, grade), 0)
            if was != now:
                self.grades.append(GradeChange(**named, scheme=scheme, grade=grade,
                                               from_=was, to=now))  # fmt: skip
        for key in sorted(old[2].keys() | new[2].keys(), key=str):
            paid, pays = old[2].get(key, NO_MONEY), new[2].get(key, NO_MONEY)
            if paid != pays:
                period, program, tier = key
                self.money.append(
                    MoneyChange(**named, period=period, program=program, tier=tier,
                                from_=paid, to=pays)
                )  # fmt: skip


def _standpoint(point: Point) -> Standpoint:
    return Standpoint(as_of=point.as_of, known_at=point.known_at, known_pos=point.pos)


def _rows(found: Rollup) -> dict[Key, Figures]:
    """Each row's figures, and every row's together (key None)."""
    rows: dict[Key, Figures] = {}
    every: dict[tuple[str, str], int] = {}
    for child in found.children:
        grades = {(scheme, kind): n for scheme, classes in child.grades.items()
                  for kind, n in classes.items()}  # fmt: skip
        for key, n in grades.items():
            every[key] = every.get(key, 0) + n
        money: dict[MoneyKey, Money] = {
            (s.period, s.program, s.tier): Money(
                count=s.count, total_fen=s.total_fen, by_source=s.by_source
            )
            for s in child.subsidies
        }
        rows[child.code] = (_counts(child.organizations.model_dump()), grades, money)
    totals = found.totals
    every_money: dict[MoneyKey, Money] = {
        (t.period, None, None): Money(
            count=t.count, total_fen=t.total_fen, by_source=t.by_source
        )
        for t in totals.subsidies
    }
    rows[None] = (_counts(totals.organizations.model_dump()), every, every_money)
    return rows


def _counts(orgs: dict[str, Any]) -> dict[str, int]:
    """Organization counts by figure, legal forms beside the statuses."""
    registered: dict[str, int] = orgs.pop("registered")
    return {"filed": orgs.pop("filed"), **registered, **orgs}


def facts(
    view: LedgerView, before: Point, after: Point, names: Callable[[str], str]
) -> tuple[list[FactInDiff], int]:
    """The facts (their versions) in force and known at ``after`` but not at
    ``before`` — in the order learned, or by business date when only the dates
    differ — the first ``SHOWN_FACTS`` of them, and how many there are."""
    params = {**after.params(), "bp": before.pos, "bd": before.as_of}
    rows = [
        (table, row)
        for table, kind in queries.FACT_KINDS
        for row in view.fetch(
            f"SELECT id, pos, origin, seq, {kind}, org_id, effective_on, recorded_at"
            f"{_DETAILS[table]} FROM {{{table}}} WHERE {DIFFERENCE}",
            params,
        )
    ]
    if not rows:
        return [], 0
    if before.pos == after.pos:  # by business date, then origin and seq
        rows.sort(key=lambda r: (r[1][6], r[1][2], r[1][3], r[1][1]))
    else:  # as learned: a revocation before the version of the decision it made
        rows.sort(key=lambda r: (r[1][1], r[1][0] % 4 != 0, r[1][2], r[1][3]))
    # Names as known at the later point, whatever the date an organization was
    # filed on: a fact may come into force before its organization's filing does.
    orgs = org_states(view, Point(FOREVER, after.pos))
    shown = [_fact(table, row, names, orgs) for table, row in rows[:SHOWN_FACTS]]
    return shown, len(rows)


def _fact(
    table: str,
    row: tuple[Any, ...],
    names: Callable[[str], str],
    orgs: dict[str, dict[str, Any]],
) -> FactInDiff:
    row_id, pos, origin, seq, kind, org_id, on, at, *more = row
    org = orgs.get(org_id) if org_id else None
    return FactInDiff(
        pos=pos, origin=origin, origin_name=names(origin), seq=seq, type=kind,
        tier=TIERS[len(origin)], revised=row_id % 4 != 0, org_id=org_id,
        org_name=org and org["name"],
        org_number=org and (org["uscc"] or org["filing_number"]),
        effective_on=on, recorded_at=at,
        grade=GradeGiven(scheme=more[0], grade=more[1], passed=bool(more[2]))
        if table == "view_grades" else None,
        subsidy=SubsidyGiven(period=more[0], program=more[1],
                             amount_fen=int(more[2]), revoked_on=more[3])
        if table == "view_subsidies" else None,
        refers_to_seq=more[0] if table == "view_changes" else None,
    )  # fmt: skip

"""Reconciliation's findings: a discrepancy, its evidence, and whether it is pending.

A finding that rests on a fact *not* held here — an organization no filing or
registration names, the filing a registration cites, any grade at all for a
grade-based decision (R2) — may only be waiting for a descendant that recorded it: it
is pending, naming every descendant of the relying fact's origin this node has not
heard from since that fact (``projections.hearing``), and an error once it has heard
from all of them. A finding that rests on facts held (a band broken, two payments, a
grade that fails) is an error at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from projections.models.base import marks
from projections.models.reconciliation import Evidence, Finding, ReconciliationReport
from projections.rules_text import RULES, message, pending_note

if TYPE_CHECKING:
    from collections.abc import Collection

    from projections.holdings import Grade, Holdings, Identity, Subsidy
    from projections.view import Point

PENDING = "pending"


@dataclass
class Discrepancy:
    """One finding of one rule."""

    rule: str
    org_id: str
    org_name: str
    message_zh: str
    message_en: str
    evidence: list[Evidence] = field(default_factory=list)
    status: str = ""
    """The rule's severity (error, warning), or pending while it awaits a descendant."""
    awaiting: list[str] = field(default_factory=list)
    """The descendants not heard from since the facts the finding rests on."""

    def finding(self) -> Finding:
        """The read model of this discrepancy."""
        return Finding(
            rule=self.rule,
            title=RULES[self.rule].title_en,
            severity=RULES[self.rule].severity,
            status=self.status or RULES[self.rule].severity,
            org_id=self.org_id,
            org_name=self.org_name,
            message_zh=self.message_zh,
            message_en=self.message_en,
            evidence=self.evidence,
            awaiting=self.awaiting,
        )


def evidence(*facts: Subsidy | Grade | Identity) -> list[Evidence]:
    """Where to find each fact: its origin and seq, and what it is."""
    found = []
    for fact in facts:
        kind = getattr(fact, "type", None) or (
            "SubsidyDecided" if hasattr(fact, "program") else "GradeEvaluated"
        )
        found.append(Evidence(origin=fact.origin, seq=fact.seq, type=kind))
    return found


class Judge:
    """What every rule shares: the holdings, and how a finding is written."""

    def __init__(self, holdings: Holdings) -> None:
        self.h = holdings

    def finding(
        self, rule: str, org_id: str, facts: list[Any], **values: Any
    ) -> Discrepancy:
        """A discrepancy about ``org_id`` with its messages filled in."""
        name = self.h.names.get(org_id, org_id)
        zh, en = message(rule, values.pop("case", ""), name=name, **values)
        return Discrepancy(rule, org_id, name, zh, en, evidence(*facts))

    def pend(
        self,
        found: Discrepancy,
        facts: list[Any],
        toward: Collection[str] | None = None,
    ) -> Discrepancy:
        """``found``, pending on the descendants of its facts' origins (those on the
        way to a ``toward`` node, if known) silent since each origin's first fact."""
        awaited = self.awaited(facts, toward)
        if awaited:
            found.status, found.awaiting = PENDING, awaited
            zh, en = pending_note(", ".join(awaited))
            found.message_zh += zh
            found.message_en += en
        return found

    def awaited(
        self, facts: list[Any], toward: Collection[str] | None = None
    ) -> list[str]:
        """The descendants ``pend`` names."""
        hearing = self.h.hearing
        if hearing is None:
            return []
        first: dict[str, str] = {}
        for fact in facts:
            if hearing.below(fact.origin):
                at = self.h.recorded_at(fact)
                first[fact.origin] = min(first.get(fact.origin, at), at)
        return sorted(
            {
                code
                for origin, at in first.items()
                for code in hearing.silent(origin, at, toward)
            }
        )


def report(node: str, point: Point, found: list[Discrepancy]) -> ReconciliationReport:
    """A reconciliation's report: where it stood, counts, findings."""
    counts: dict[str, int] = dict.fromkeys(RULES, 0)
    for d in found:
        counts[d.rule] += 1
    return ReconciliationReport(
        chain_broken=marks(point),
        node=node,
        as_of=point.as_of,
        known_pos=point.pos,
        counts=counts,
        errors=sum(1 for d in found if not d.status),
        pending=sum(1 for d in found if d.status == PENDING),
        discrepancies=[d.finding() for d in found],
    )

"""Reconciliation's findings: a discrepancy, its evidence, the report, and what every
rule shares to write one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from projections.rules_text import RULES, message

if TYPE_CHECKING:
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
    evidence: list[dict[str, Any]] = field(default_factory=list)
    status: str = ""
    """The rule's severity (error, warning), or pending while a child is behind."""

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON form."""
        return {
            "rule": self.rule,
            "title": RULES[self.rule].title_en,
            "severity": RULES[self.rule].severity,
            "status": self.status or RULES[self.rule].severity,
            "org_id": self.org_id,
            "org_name": self.org_name,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "evidence": self.evidence,
        }


def evidence(*facts: Subsidy | Grade | Identity) -> list[dict[str, Any]]:
    """Where to find each fact: its origin and seq, and what it is."""
    found = []
    for fact in facts:
        kind = getattr(fact, "type", None) or (
            "SubsidyDecided" if hasattr(fact, "program") else "GradeEvaluated"
        )
        found.append({"origin": fact.origin, "seq": fact.seq, "type": kind})
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


def report(node: str, point: Point, found: list[Discrepancy]) -> dict[str, Any]:
    """The stable JSON form of a reconciliation: where it stood, counts, findings."""
    counts: dict[str, int] = dict.fromkeys(RULES, 0)
    for d in found:
        counts[d.rule] += 1
    return {
        "node": node,
        "as_of": point.as_of,
        "known_pos": point.pos,
        "counts": counts,
        "errors": sum(1 for d in found if not d.status),
        "pending": sum(1 for d in found if d.status == PENDING),
        "discrepancies": [d.as_dict() for d in found],
    }

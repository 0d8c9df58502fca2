"""The fact catalogue: every event a node's journal can hold (docs/facts.md).

Payload fields are JSON primitives so that the canonical encoding of a fact is
its own fields, independent of how the event store happens to serialise it.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import TYPE_CHECKING, Any, ClassVar

from eventsourcing.domain import Aggregate

from domain.canonical import canonical_bytes, chain_hash
from domain.corrections import CORRECTABLE, apply_correction
from domain.state import CLOSED, FILED, REGISTERED, new_org, subsidy_key
from domain.values import utc_instant

if TYPE_CHECKING:
    from datetime import datetime
    from uuid import UUID

    from domain.journal import Journal
    from domain.state import FactRef

SPAN_DIGITS = 16
"""Hex digits of each fact's hash a checkpoint's span lists."""
JOURNAL_TOPIC = "domain.journal:Journal"
"""The aggregate topic a genesis fact names (the one stored field outside the hash)."""
CANONICAL_CACHE = "_canonical"
"""Attribute under which a freshly built fact keeps its canonical bytes."""
ENVELOPE = frozenset(
    {
        "originator_id",
        "originator_version",
        "timestamp",
        "originator_topic",
        "node",
        "prev_hash",
        "hash",
    }
)


class Fact(Aggregate.Event):
    """Base of every journal fact: origin node, business date and chain links."""

    node: str
    effective_on: str
    prev_hash: str
    hash: str

    org_field: ClassVar[str | None] = "org_id"
    signs: ClassVar[bool] = False
    """True for checkpoints, which sign the facts before them instead of joining
    the next checkpoint's span."""

    @property
    def seq(self) -> int:
        """Position in the origin node's journal (1, 2, 3, ...)."""
        return self.originator_version

    @property
    def fact_type(self) -> str:
        """The fact's type name, e.g. ``OrganizationFiled``."""
        return type(self).__name__

    @property
    def recorded_at(self) -> str:
        """The origin's clock when the fact was recorded, UTC ISO text."""
        return utc_instant(self.timestamp)

    @property
    def concerns(self) -> str | None:
        """The org_id this fact is about, if any."""
        return getattr(self, self.org_field) if self.org_field else None

    def payload(self) -> dict[str, Any]:
        """The fact's own fields: everything but the envelope."""
        state = self.__dict__
        return {name: state[name] for name in payload_names(type(self))}

    def canonical(self) -> bytes:
        """The canonical bytes the hash chain covers."""
        # A fact just built by its journal keeps the bytes it was hashed over, so
        # storing it does not encode it again. Decoded facts always recompute.
        cached: bytes | None = self.__dict__.get(CANONICAL_CACHE)
        if cached is not None:
            return cached
        return canonical_bytes(
            self.node, self.seq, self.fact_type, self.payload(), self.recorded_at
        )

    def recomputed_hash(self) -> str:
        """The hash this fact should carry given its content and ``prev_hash``."""
        return chain_hash(self.prev_hash, self.canonical())

    def apply(self, aggregate: Journal) -> None:
        self.evolve(aggregate)
        aggregate.head_hash = self.hash
        if not self.signs:
            aggregate.since_checkpoint.append(self.hash[:SPAN_DIGITS])
        org_id = self.concerns
        fact_type = type(self).__name__
        # Only what a later correction may name is indexed: receipts and
        # checkpoints, most of a busy node's facts, would only bloat snapshots.
        if fact_type in CORRECTABLE:
            ref: FactRef = {
                "type": fact_type,
                "org_id": org_id,
                "scheme": self.__dict__.get("scheme"),
                "effective_on": self.effective_on,
            }
            if fact_type == "GradeEvaluated":
                ref["grade"] = self.__dict__["grade"]
            aggregate.refs[str(self.originator_version)] = ref
        if org_id and org_id in aggregate.orgs:
            aggregate.orgs[org_id]["facts"].append(self.originator_version)

    def evolve(self, journal: Journal) -> None:
        """Type-specific change to the journal's state."""


class LedgerOpened(Fact, Aggregate.Created):
    """Genesis fact: the node, its name and tier, and its public key."""

    node_name: str
    tier: str
    parent: str | None
    public_key: str | None

    org_field: ClassVar[str | None] = None

    def evolve(self, journal: Journal) -> None:
        journal.node = self.node
        journal.node_name = self.node_name
        journal.public_key = self.public_key


class OrganizationFiled(Fact):
    """A grassroots organization filed (备案) at this node; no legal personality."""

    org_id: str
    filing_number: str
    name: str
    category: str
    community: str | None
    responsible_person: dict[str, str] | None
    member_count: int | None
    venue: str | None
    funds_fen: int | None
    funds_source: str | None
    guiding_unit: str | None

    def evolve(self, journal: Journal) -> None:
        org = new_org(self.org_id, self.name, FILED)
        org.update(
            {
                "filing_number": self.filing_number,
                "filing_node": self.node,
                "community": self.community,
                "category": self.category,
                "filed_on": self.effective_on,
            }
        )
        org["details"] = {
            key: value
            for key, value in self.payload().items()
            if key in DETAIL_FIELDS and value is not None
        }
        journal.orgs[self.org_id] = org
        journal.filings[self.filing_number] = self.org_id


DETAIL_FIELDS = (
    "responsible_person",
    "member_count",
    "venue",
    "funds_fen",
    "funds_source",
    "guiding_unit",
)


class OrganizationRegistered(Fact):
    """A legal-person organization registered (登记), directly or from a filing."""

    org_id: str
    uscc: str
    name: str
    legal_form: str
    community: str | None
    upgraded_from: str | None

    def evolve(self, journal: Journal) -> None:
        org = journal.orgs.get(self.org_id) or new_org(
            self.org_id, self.name, REGISTERED
        )
        org.update(
            {
                "name": self.name,
                "status": REGISTERED,
                "legal_form": self.legal_form,
                "uscc": self.uscc,
                "registered_on": self.effective_on,
                "filing_closed": org["filing_number"] is not None,
            }
        )
        if self.community is not None:
            org["community"] = self.community
        journal.orgs[self.org_id] = org
        journal.usccs[self.uscc] = self.org_id


class OrganizationUpgraded(Fact):
    """The filing node marks its filed organization registered (已转登记)."""

    org_id: str
    uscc: str
    legal_form: str

    def evolve(self, journal: Journal) -> None:
        org = journal.orgs[self.org_id]
        org.update(
            {
                "status": REGISTERED,
                "legal_form": self.legal_form,
                "uscc": self.uscc,
                "registered_on": self.effective_on,
                "filing_closed": True,
            }
        )
        journal.usccs[self.uscc] = self.org_id


class OrganizationDeregistered(Fact):
    """An organization deregistered (注销) or its registration revoked (撤销)."""

    org_id: str
    outcome: str
    reason: str | None

    def evolve(self, journal: Journal) -> None:
        if self.org_id in journal.orgs:  # else held only through descendants' facts
            journal.orgs[self.org_id].update(
                {"status": self.outcome, "closed_on": self.effective_on}
            )


class GradeEvaluated(Fact):
    """An evaluation result under one scheme (not passed is a result, not a grade)."""

    org_id: str
    scheme: str
    grade: str
    passed: bool
    valid_until: str | None
    score: int | None
    note: str | None

    def evolve(self, journal: Journal) -> None:
        key = f"{self.org_id}|{self.scheme}|{self.effective_on}"
        journal.evaluations[key] = self.seq
        if self.org_id not in journal.orgs:
            return  # held only through descendants' facts: the views keep its grades
        journal.orgs[self.org_id]["grades"][self.scheme] = {
            "grade": self.grade,
            "passed": self.passed,
            "evaluated_on": self.effective_on,
            "valid_until": self.valid_until,
            "score": self.score,
            "seq": self.seq,
        }


class SubsidyDecided(Fact):
    """Money decided for an organization, split across funding sources ("1+3+X")."""

    org_id: str
    program: str
    period: str
    amount_fen: int
    shares: dict[str, int]
    grade_scheme: str | None
    grade: str | None
    note: str | None

    def evolve(self, journal: Journal) -> None:
        journal.subsidies[str(self.seq)] = {
            "seq": self.seq,
            "org_id": self.org_id,
            "program": self.program,
            "period": self.period,
            "amount_fen": self.amount_fen,
            "shares": self.shares,  # facts never change: no copy needed
            "grade_scheme": self.grade_scheme,
            "grade": self.grade,
            "decided_on": self.effective_on,
            "live": True,
        }
        key = subsidy_key(self.org_id, self.program, self.period)
        journal.live_subsidies[key] = self.seq


class SubsidyRevoked(Fact):
    """A subsidy decision of this node withdrawn; the decision itself stays recorded."""

    decision_seq: int
    org_id: str
    reason: str

    def evolve(self, journal: Journal) -> None:
        subsidy = journal.subsidies[str(self.decision_seq)]
        subsidy["live"] = False
        key = subsidy_key(subsidy["org_id"], subsidy["program"], subsidy["period"])
        journal.live_subsidies.pop(key, None)


class FactCorrected(Fact):
    """A correction of an earlier fact of this node: the reason and the new values."""

    corrects_seq: int
    org_id: str | None
    reason: str
    replacement: dict[str, Any]

    def evolve(self, journal: Journal) -> None:
        apply_correction(journal, self.corrects_seq, self.replacement)


def build_fact(
    cls: type[Fact],
    originator_id: UUID,
    seq: int,
    timestamp: datetime,
    fields: dict[str, Any],
) -> Fact:
    """A fact of ``cls`` holding ``fields`` (payload and chain links) and its envelope.

    Built the way the library rebuilds stored events, without running the data
    class's initialiser: callers pass exactly the type's payload and chain links.
    """
    fields["originator_id"] = originator_id
    fields["originator_version"] = seq
    fields["timestamp"] = timestamp
    if issubclass(cls, LedgerOpened):
        fields["originator_topic"] = JOURNAL_TOPIC
    fact = object.__new__(cls)
    object.__setattr__(fact, "__dict__", fields)
    return fact


def repeats(held: Fact, fact_type: str, given: dict[str, Any]) -> bool:
    """True when ``given`` (a clerk's parsed fields) says nothing ``held`` does not:
    the same fact offered again."""
    if held.fact_type != fact_type:
        return False
    payload = held.payload()
    return all(payload[k] == v for k, v in given.items() if k in payload)


@functools.cache
def payload_names(cls: type[Fact]) -> tuple[str, ...]:
    """The payload fields of a fact type, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in ENVELOPE)


ORGANIZATION_FACTS: dict[str, type[Fact]] = {
    cls.__name__: cls
    for cls in (
        LedgerOpened,
        OrganizationFiled,
        OrganizationRegistered,
        OrganizationUpgraded,
        OrganizationDeregistered,
        GradeEvaluated,
        SubsidyDecided,
        SubsidyRevoked,
        FactCorrected,
    )
}
"""Facts about organizations, by name."""

__all__ = ["CLOSED", "ORGANIZATION_FACTS", "Fact"]

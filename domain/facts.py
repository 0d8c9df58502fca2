"""What every fact has: origin, seq, business date, chain links, canonical bytes.

Payload fields are JSON primitives so that the canonical encoding of a fact is
its own fields, independent of how the event store happens to serialise it.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from typing import TYPE_CHECKING, Any, ClassVar

from eventsourcing.domain import Aggregate

from domain.canonical import canonical_bytes, chain_hash
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
        "actor",
    }
)


class Fact(Aggregate.Event):
    """Base of every journal fact: origin node, business date and chain links."""

    node: str
    effective_on: str
    prev_hash: str
    hash: str
    actor: str | None
    """Who recorded it (``domain.actor``), under its hash; None in facts kept
    before actors were (decision 0035) and in checkpoints, which their signature
    attributes."""

    org_field: ClassVar[str | None] = "org_id"
    signs: ClassVar[bool] = False
    """True for checkpoints, which sign the facts before them instead of joining
    the next checkpoint's span."""
    correctable: ClassVar[frozenset[str]] = frozenset()
    """The fields a later ``FactCorrected`` may replace (identity fields never)."""
    business_date: ClassVar[bool] = True
    """Whether ``effective_on`` is a business date someone gave; False for the facts
    a node writes for itself (sync, checkpoints), dated the day it wrote them."""

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
            self.node,
            self.seq,
            self.fact_type,
            self.payload(),
            self.recorded_at,
            actor=self.actor,
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
        # Only what a later correction may name is indexed: receipts and
        # checkpoints, most of a busy node's facts, would only bloat snapshots.
        if self.correctable:
            fact_type = type(self).__name__
            ref: FactRef = {
                "type": fact_type,
                "org_id": org_id,
                "scheme": self.__dict__.get("scheme"),
                "effective_on": sys.intern(self.effective_on),  # see state.shared
            }
            if fact_type == "GradeEvaluated":
                ref["grade"] = self.__dict__["grade"]
            aggregate.refs[str(self.originator_version)] = ref
        if org_id and org_id in aggregate.orgs:
            aggregate.orgs[org_id]["facts"].append(self.originator_version)

    def evolve(self, journal: Journal) -> None:
        """Type-specific change to the journal's state."""


def build_fact(
    cls: type[Fact],
    originator_id: UUID,
    seq: int,
    timestamp: datetime,
    fields: dict[str, Any],
) -> Fact:
    """A fact of ``cls`` holding ``fields`` (payload, chain links and actor) and its
    envelope.

    Built the way the library rebuilds stored events, without running the data
    class's initialiser: callers pass exactly the type's payload, chain links and
    actor (None when it names none).
    """
    fields["originator_id"] = originator_id
    fields["originator_version"] = seq
    fields["timestamp"] = timestamp
    if issubclass(cls, Aggregate.Created):
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

"""The one ingest path for facts from below (pull, push and bundle), and the feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from domain.canonical import GENESIS_HASH
from domain.codes import NodeCode
from domain.errors import (
    AlteredFactError,
    BadSignatureError,
    ForkError,
    KeyMismatchError,
    MalformedFactError,
    OutsideSubtreeError,
    SeqGapError,
    UnknownOriginError,
)
from domain.identity import journal_id
from domain.network import Checkpoint, ChildEnrolled
from domain.ports import checkpoint_message
from domain.values import today_in_china
from domain.wire import from_document, to_document

if TYPE_CHECKING:
    from collections.abc import Sequence

    from domain.facts import Fact
    from domain.journal import Journal
    from domain.ports import Verifier

MAX_BATCH = 1000
"""Facts per ingest call: one batch is one transaction with its cursor."""


@dataclass
class OriginPlan:
    """What a batch does to one origin's journal as held here."""

    seq: int
    hash: str
    signed_seq: int
    key: str | None
    first_new: int = 0
    new: list[Fact] = field(default_factory=list)
    enrollments: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Fork:
    """A fact offered for a seq already held with another hash."""

    origin: str
    seq: int
    held_hash: str
    offered: dict[str, Any]


@dataclass
class IngestPlan:
    """The checked outcome of a batch, before anything is stored."""

    origins: dict[str, OriginPlan] = field(default_factory=dict)
    duplicates: int = 0
    fork: Fork | None = None

    @property
    def new_facts(self) -> list[Fact]:
        """Every new fact, in the order received."""
        return [f for plan in self.origins.values() for f in plan.new]


class BatchChecker:
    """Checks a batch against what the receiving node holds, fact by fact."""

    def __init__(
        self,
        receiver: NodeCode,
        source: NodeCode,
        journal: Journal,
        verifier: Verifier,
        stored_hash: Any,
    ) -> None:
        self.receiver, self.source, self.journal = receiver, source, journal
        self.verifier, self.stored_hash = verifier, stored_hash
        self.plan = IngestPlan()

    def check(self, documents: Sequence[object]) -> IngestPlan:
        """Every fact in order; stops at the first fork, raises on anything else."""
        for document in documents:
            fact = from_document(document)
            if self._check_one(fact, document):
                break
        return self.plan

    def _origin(self, fact: Fact) -> OriginPlan:
        origin = NodeCode(fact.node)
        if origin == self.receiver or not self.receiver.contains(origin):
            raise OutsideSubtreeError(
                f"origin {origin} is outside {self.receiver}'s subtree"
            )
        if not self.source.contains(origin):
            raise OutsideSubtreeError(
                f"origin {origin} cannot arrive via {self.source}"
            )
        if origin.value not in self.plan.origins:
            held = self.journal.origins.get(origin.value, {})
            self.plan.origins[origin.value] = OriginPlan(
                seq=held.get("seq", 0),
                hash=held.get("hash", GENESIS_HASH),
                signed_seq=held.get("signed_seq", 0),
                key=self._key(origin.value),
            )
        return self.plan.origins[origin.value]

    def _key(self, origin: str) -> str | None:
        learned = (p.enrollments.get(origin) for p in self.plan.origins.values())
        return self.journal.keys.get(origin) or next((k for k in learned if k), None)

    def _check_one(self, fact: Fact, document: object) -> bool:
        plan = self._origin(fact)
        if fact.recomputed_hash() != fact.hash:
            raise AlteredFactError(
                f"{fact.node}/{fact.seq}: hash does not match the content; "
                "altered in transit or at the sender"
            )
        if fact.seq <= plan.seq:
            return self._check_duplicate(plan, fact, document)
        if fact.seq != plan.seq + 1:
            raise SeqGapError(
                f"{fact.node}: the batch skips from seq {plan.seq} to {fact.seq}"
            )
        if fact.prev_hash != plan.hash:
            raise AlteredFactError(
                f"{fact.node}/{fact.seq}: prev_hash does not link to seq {plan.seq}"
            )
        self._check_trust(plan, fact)
        plan.first_new = plan.first_new or fact.seq
        plan.seq, plan.hash = fact.seq, fact.hash
        plan.new.append(fact)
        return False

    def _check_duplicate(self, plan: OriginPlan, fact: Fact, document: object) -> bool:
        if plan.first_new and fact.seq >= plan.first_new:
            held = plan.new[fact.seq - plan.first_new].hash
        else:
            held = self.stored_hash(fact.node, fact.seq)
        if held == fact.hash:
            self.plan.duplicates += 1
            return False
        offered = dict(document) if isinstance(document, dict) else to_document(fact)
        self.plan.fork = Fork(fact.node, fact.seq, held, offered)
        return True

    def _check_trust(self, plan: OriginPlan, fact: Fact) -> None:
        if plan.key is None:
            plan.key = self._key(fact.node)
        if plan.key is None:
            raise UnknownOriginError(
                f"{fact.node} is not enrolled at {self.receiver}, nor by any node "
                f"it has heard from; enroll it first"
            )
        if fact.seq == 1 and getattr(fact, "public_key", None) != plan.key:
            raise KeyMismatchError(
                f"{fact.node} announces a key other than the enrolled one"
            )
        if isinstance(fact, Checkpoint):
            self._check_signature(plan, fact)
        if isinstance(fact, ChildEnrolled):
            if NodeCode(fact.child).parent != NodeCode(fact.node):
                raise MalformedFactError(
                    f"{fact.node} enrolled {fact.child}, not its child"
                )
            plan.enrollments[fact.child] = fact.public_key

    def _check_signature(self, plan: OriginPlan, fact: Checkpoint) -> None:
        assert plan.key is not None
        message = checkpoint_message(fact.node, fact.signed_seq, fact.signed_hash)
        if (
            fact.signed_seq != fact.seq - 1
            or fact.signed_hash != fact.prev_hash
            or not self.verifier.verify(plan.key, message, fact.signature)
        ):
            raise BadSignatureError(
                f"{fact.node}/{fact.seq}: checkpoint signature does not verify against "
                f"the enrolled key"
            )
        plan.signed_seq = fact.signed_seq


def receipt_payloads(
    plan: IngestPlan, via: str, transport: str, feed_position: int, via_head: int
) -> list[dict[str, Any]]:
    """The BatchReceived payload for each origin with new facts."""
    today = today_in_china().isoformat()
    return [
        {
            "effective_on": today,
            "origin": origin,
            "from_seq": p.first_new,
            "to_seq": p.seq,
            "head_hash": p.hash,
            "via": via,
            "transport": transport,
            "feed_position": feed_position,
            "via_head_seq": via_head,
            "signed_seq": p.signed_seq,
            "enrollments": p.enrollments,
        }
        for origin, p in plan.origins.items()
        if p.new
    ]


def fork_payload(fork: Fork, via: str) -> dict[str, Any]:
    """The ForkDetected payload that keeps a fork's evidence."""
    return {
        "effective_on": today_in_china().isoformat(),
        "origin": fork.origin,
        "at_seq": fork.seq,
        "held_hash": fork.held_hash,
        "offered_hash": str(fork.offered.get("hash")),
        "offered": fork.offered,
        "via": via,
    }


def fork_error(fork: Fork) -> ForkError:
    """The error a fork raises after its evidence is recorded."""
    return ForkError(
        f"{fork.origin} rewrote its history: seq {fork.seq} is held with hash "
        f"{fork.held_hash[:16]}… but was offered with "
        f"{str(fork.offered.get('hash'))[:16]}…; "
        f"nothing from this batch was recorded, the evidence is kept"
    )


__all__ = ["MAX_BATCH", "BatchChecker", "IngestPlan", "journal_id"]

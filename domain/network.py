"""Facts about the network itself: trust, signed heads, and what a node learned when."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain.facts import SPAN_DIGITS, Fact
from domain.ports import checkpoint_message

if TYPE_CHECKING:
    from domain.journal import Journal
    from domain.ports import Verifier


class ChildEnrolled(Fact):
    """A parent trusts a direct child's public key: trust itself is a ledger fact."""

    child: str
    public_key: str
    fingerprint: str

    org_field: ClassVar[str | None] = None

    def evolve(self, journal: Journal) -> None:
        journal.children[self.child] = self.public_key
        journal.keys[self.child] = self.public_key


class Checkpoint(Fact):
    """The node's signature over its head (node, signed_seq, signed_hash), and over
    the hashes of the facts since its previous checkpoint (``span``), so that a
    rewrite below a signed head is located to the fact."""

    signed_seq: int
    signed_hash: str
    span: str
    """The first SPAN_DIGITS hex digits of each fact's hash since the previous
    checkpoint, in seq order, concatenated."""
    signature: str

    org_field: ClassVar[str | None] = None
    signs: ClassVar[bool] = True

    def evolve(self, journal: Journal) -> None:
        journal.last_checkpoint = self.seq
        journal.since_checkpoint = []

    def spanned(self) -> list[str]:
        """The signed hash prefixes, one per fact since the previous checkpoint."""
        step = SPAN_DIGITS
        return [self.span[i : i + step] for i in range(0, len(self.span), step)]

    def defect(self, key: str, verifier: Verifier) -> str | None:
        """Why this checkpoint does not vouch for its place in the chain, or None.

        It must sign exactly its predecessor (seq - 1 and prev_hash), with its own
        times and span, under ``key``: then it covers every seq up to its own.
        """
        if self.signed_seq != self.seq - 1 or self.signed_hash != self.prev_hash:
            return (
                f"signs seq {self.signed_seq} {self.signed_hash[:16]}…, not the fact "
                f"before it (seq {self.seq - 1} {self.prev_hash[:16]}…)"
            )
        if not self.verifies(key, verifier):
            return "signature does not verify against the key"
        return None

    def verifies(self, key: str, verifier: Verifier) -> bool:
        """True when the signature holds over the checkpoint's own fields."""
        message = checkpoint_message(
            self.node,
            self.signed_seq,
            self.signed_hash,
            self.recorded_at,
            self.effective_on,
            self.span,
        )
        return verifier.verify(key, message, self.signature)


class BatchReceived(Fact):
    """This node stored facts from_seq..to_seq of an origin's journal, verbatim.

    Recorded in the same transaction as the facts, so it is both the node's cursor for
    that origin and its evidence of when it learned them.
    """

    origin: str
    from_seq: int
    to_seq: int
    head_hash: str
    via: str
    """The node the batch came from (the origin itself or one of its ancestors)."""
    transport: str
    """pull, push or bundle."""
    feed_position: int
    """Position in ``via``'s feed after this batch (the pull cursor)."""
    via_head_seq: int
    """``via``'s own head seq as it reported it (0 if unknown): the base of lag."""
    signed_seq: int
    """The origin's latest seq covered by a verified checkpoint signature."""
    enrollments: dict[str, str]
    """Children the origin enrolled in this batch, child -> public key."""

    org_field: ClassVar[str | None] = None

    def evolve(self, journal: Journal) -> None:
        held = journal.origins.setdefault(self.origin, {})
        held.update(
            seq=self.to_seq,
            hash=self.head_hash,
            signed_seq=self.signed_seq,
            via=self.via,
            at=self.recorded_at,
        )
        if self.via in journal.origins and self.via_head_seq:
            journal.origins[self.via]["reported_head"] = self.via_head_seq
        journal.keys.update(self.enrollments)
        position = journal.feed_positions.get(self.via, 0)
        journal.feed_positions[self.via] = max(position, self.feed_position)


class ForkDetected(Fact):
    """Evidence: an origin signed a history that differs from the one held here.

    At ``at_seq`` this node holds ``held_hash``; the origin's offered chain, covered by
    its own signature, has ``offered_hash`` there (a re-offered seq, or a restored
    backup whose next fact links to another hash).
    """

    origin: str
    at_seq: int
    held_hash: str
    offered_hash: str
    offered: dict[str, Any]
    """The offered fact document that shows the other hash, verbatim."""
    via: str

    org_field: ClassVar[str | None] = None

    def evolve(self, journal: Journal) -> None:
        journal.forks[f"{self.origin}:{self.at_seq}"] = {
            "origin": self.origin,
            "at_seq": self.at_seq,
            "held_hash": self.held_hash,
            "offered_hash": self.offered_hash,
            "via": self.via,
            "detected_seq": self.seq,
        }


class ForkResolved(Fact):
    """An operator closed a fork report; the held history stays, the offer refused."""

    origin: str
    at_seq: int
    note: str

    org_field: ClassVar[str | None] = None

    def evolve(self, journal: Journal) -> None:
        journal.forks.pop(f"{self.origin}:{self.at_seq}", None)


NETWORK_FACTS: dict[str, type[Fact]] = {
    cls.__name__: cls
    for cls in (ChildEnrolled, Checkpoint, BatchReceived, ForkDetected, ForkResolved)
}

"""The one ingest path for facts from below (pull, push and bundle): checking a batch.

A batch is accepted only when, for every origin, its facts continue what this node
holds, recompute, link, and are **covered by the origin's own signature**: a
``Checkpoint`` of that origin in the batch, signed with the key its parent enrolled,
at or after every new fact. A relaying node can pass facts on but cannot vouch for
them, so it can neither forge, alter nor drop a descendant's fact undetected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.canonical import GENESIS_HASH
from domain.codes import NodeCode
from domain.errors import (
    AlteredFactError,
    BadSignatureError,
    KeyMismatchError,
    MalformedFactError,
    OutsideSubtreeError,
    SeqGapError,
    UncoveredFactError,
    UnknownOriginError,
)
from domain.fact_types.checkpoint import Checkpoint
from domain.fact_types.child_enrolled import ChildEnrolled
from domain.facts import SPAN_DIGITS
from domain.identity import journal_id
from domain.ingest_plan import Fork, IngestPlan, OriginPlan
from domain.wire import from_document

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from domain.facts import Fact
    from domain.journal import Journal
    from domain.ports import Verifier

MAX_BATCH = 5000
"""Facts per ingest call: one batch is one transaction with its cursor."""


class BatchChecker:
    """Checks a batch against what the receiving node holds."""

    def __init__(
        self,
        receiver: NodeCode,
        source: NodeCode,
        journal: Journal,
        verifier: Verifier,
        stored_hash: Callable[[str, int], str | None],
    ) -> None:
        self.receiver, self.source, self.journal = receiver, source, journal
        self.verifier, self.stored_hash = verifier, stored_hash
        self.plan = IngestPlan()
        self.learned: dict[str, str] = {}

    def check(self, documents: Sequence[object]) -> IngestPlan:
        """Every origin's run, ancestors first; stops at a signed fork, raises on
        anything else (nothing is stored unless the whole batch passes)."""
        for document in documents:
            self._add(from_document(document), document)
        ordered = sorted(self.plan.origins, key=lambda o: (len(o), o))
        self.plan.origins = {o: self.plan.origins[o] for o in ordered}
        for origin, plan in self.plan.origins.items():
            self._compare_with_held(origin, plan)
            self._check_trust(origin, plan)
            if self._judge(origin, plan):
                break
        return self.plan

    def check_head(self, document: object) -> bool:
        """Compare the source's latest signed head with what is held after the batch;
        a different hash is a fork. True when the head is past what is held."""
        head = from_document(document)
        if not isinstance(head, Checkpoint) or head.node != self.source.value:
            raise MalformedFactError(
                f"the signed head must be a Checkpoint of {self.source}"
            )
        key = self._key(head.node)
        if key is None:
            raise UnknownOriginError(f"{head.node} is not enrolled at {self.receiver}")
        self._verify_checkpoint(head, key)
        plan = self.plan.origins.get(head.node)
        held_seq = plan.seq if plan else self._held(head.node)[0]
        if head.seq > held_seq:
            return True
        held = self._hash_at(head.node, head.seq)
        if held != head.hash and self.plan.fork is None:
            self.plan.fork = Fork(
                head.node, head.seq, str(held), head.hash, _doc(document), head.seq
            )
        return False

    # Grouping and linking within the batch.

    def _add(self, fact: Fact, document: object) -> None:
        plan = self.plan.origins.get(fact.node) or self._origin(fact)
        if fact.recomputed_hash() != fact.hash:
            raise AlteredFactError(
                f"{fact.node}/{fact.seq}: hash does not match the content; "
                "altered in transit or at the sender"
            )
        offered = plan.offered
        if offered:
            last = offered[-1][0]
            seq, last_seq = fact.originator_version, last.originator_version
            if seq <= last_seq:
                self._check_repeat(plan, fact)
                return
            if seq != last_seq + 1:
                raise SeqGapError(
                    f"{fact.node}: the batch skips from seq {last_seq} to {seq}"
                )
            if fact.prev_hash != last.hash:
                raise AlteredFactError(
                    f"{fact.node}/{seq}: prev_hash does not link to seq "
                    f"{last_seq} of the same batch; altered in transit"
                )
        offered.append((fact, document))

    def _check_repeat(self, plan: OriginPlan, fact: Fact) -> None:
        first = plan.offered[0][0].seq
        same = fact.seq >= first and plan.offered[fact.seq - first][0].hash == fact.hash
        if not same:
            raise AlteredFactError(
                f"{fact.node}/{fact.seq}: offered twice in one batch with different "
                f"content"
            )
        self.plan.duplicates += 1

    def _origin(self, fact: Fact) -> OriginPlan:
        origin = fact.node
        if origin not in self.plan.origins:
            code = NodeCode(origin)
            if code == self.receiver or not self.receiver.contains(code):
                raise OutsideSubtreeError(
                    f"origin {origin} is outside {self.receiver}'s subtree"
                )
            if not self.source.contains(code):
                raise OutsideSubtreeError(
                    f"origin {origin} cannot arrive via {self.source}"
                )
            seq, hash_ = self._held(origin)
            self.plan.origins[origin] = OriginPlan(
                seq, hash_, signed_seq=0, held_seq=seq
            )
        return self.plan.origins[origin]

    # Against what is held.

    def _held(self, origin: str) -> tuple[int, str]:
        held = self.journal.origins.get(origin, {})
        return held.get("seq", 0), held.get("hash", GENESIS_HASH)

    def _hash_at(self, origin: str, seq: int) -> str | None:
        plan = self.plan.origins.get(origin)
        if plan and plan.first_new and seq >= plan.first_new:
            return plan.new[seq - plan.first_new].hash
        return self.stored_hash(origin, seq)

    def _compare_with_held(self, origin: str, plan: OriginPlan) -> None:
        held_seq, held_hash = plan.seq, plan.hash
        # The run is consecutive (``_add``): the held part is a prefix of it.
        first_seq = plan.offered[0][0].seq if plan.offered else held_seq + 1
        old = plan.offered[: max(0, held_seq - first_seq + 1)]
        if old and self.stored_hash(origin, old[-1][0].seq) != old[-1][0].hash:
            plan.fork = self._first_difference(origin, old)
            return
        self.plan.duplicates += len(old)  # a hash commits to every fact before it
        fresh = plan.offered[len(old) :]
        if not fresh:
            return
        first, document = fresh[0]
        if first.seq != held_seq + 1:
            raise SeqGapError(
                f"{origin}: this node holds up to seq {held_seq}, "
                f"the batch continues at seq {first.seq}"
            )
        if first.prev_hash != held_hash:
            plan.fork = Fork(
                origin, held_seq, held_hash, first.prev_hash, _doc(document), first.seq
            )
            return
        plan.first_new, plan.new = first.seq, [f for f, _ in fresh]
        plan.seq, plan.hash = fresh[-1][0].seq, fresh[-1][0].hash

    def _first_difference(self, origin: str, old: list[tuple[Fact, object]]) -> Fork:
        for fact, document in old:
            held = self.stored_hash(origin, fact.seq)
            if held != fact.hash:
                return Fork(
                    origin, fact.seq, str(held), fact.hash, _doc(document), fact.seq
                )
        raise AssertionError("the last offered fact differs, so one does")

    # Signatures.

    def _key(self, origin: str) -> str | None:
        return self.journal.keys.get(origin) or self.learned.get(origin)

    def _check_trust(self, origin: str, plan: OriginPlan) -> None:
        plan.key = self._key(origin)
        if plan.key is None:
            if plan.new or plan.fork:
                raise UnknownOriginError(
                    f"{origin} is not enrolled at {self.receiver}, nor by any node "
                    f"it has heard from; enroll it first"
                )
            return
        offered = plan.offered
        first = offered[0][0] if offered else None
        genesis = first is not None and first.seq == 1
        if genesis and getattr(first, "public_key", None) != plan.key:
            raise KeyMismatchError(
                f"{origin} announces a key other than the enrolled one"
            )
        # Spans are checked from the first seq after a signed head on: what is held
        # always ends on one (a diverged history need not).
        after_held = first is not None and first.seq == plan.held_seq + 1
        start = 0 if after_held and plan.fork is None else None
        for index in [i for i, (f, _) in enumerate(offered) if f.signs]:
            checkpoint = offered[index][0]
            assert isinstance(checkpoint, Checkpoint)
            self._verify_checkpoint(checkpoint, plan.key)
            if start is not None:
                since = [f.hash[:SPAN_DIGITS] for f, _ in offered[start:index]]
                if checkpoint.spanned() != since:
                    raise MalformedFactError(
                        f"{origin}/{checkpoint.seq}: the checkpoint's span does not "
                        f"list the facts since the previous checkpoint"
                    )
            plan.signed_seq, start = checkpoint.seq, index + 1

    def _verify_checkpoint(self, fact: Checkpoint, key: str) -> None:
        defect = fact.defect(key, self.verifier)
        if defect is not None:
            raise BadSignatureError(
                f"{fact.node}/{fact.seq}: the checkpoint {defect} "
                f"(checked against the enrolled key)"
            )

    def _judge(self, origin: str, plan: OriginPlan) -> bool:
        """True when the origin forked (signed evidence); raise if anything new is
        not covered by the origin's signature."""
        if plan.fork is not None:
            if plan.signed_seq >= plan.fork.offered_seq:
                self.plan.fork = plan.fork
                return True
            raise AlteredFactError(
                f"{origin}/{plan.fork.offered_seq}: does not continue the history "
                f"held here (seq {plan.fork.seq}), and no signature of {origin} "
                f"covers it: altered in transit or by a relaying node"
            )
        if plan.new and plan.signed_seq < plan.seq:
            raise UncoveredFactError(
                f"{origin}: facts {max(plan.first_new, plan.signed_seq + 1)}–"
                f"{plan.seq} are not covered by a checkpoint signed by {origin}; "
                f"a relaying node cannot vouch for them"
            )
        self._learn_enrollments(origin, plan)
        return False

    def _learn_enrollments(self, origin: str, plan: OriginPlan) -> None:
        for fact in plan.new:
            if not isinstance(fact, ChildEnrolled):
                continue
            if NodeCode(fact.child).parent != NodeCode(origin):
                raise MalformedFactError(
                    f"{origin} enrolled {fact.child}, not its child"
                )
            known = self._key(fact.child)
            if known is not None and known != fact.public_key:
                raise KeyMismatchError(
                    f"{origin}/{fact.seq} enrols {fact.child} with a key other than "
                    f"the one already enrolled"
                )
            plan.enrollments[fact.child] = self.learned[fact.child] = fact.public_key


def _doc(document: object) -> dict[str, Any]:
    return dict(document) if isinstance(document, dict) else {}


__all__ = ["MAX_BATCH", "BatchChecker", "Fork", "IngestPlan", "journal_id"]

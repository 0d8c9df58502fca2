"""The one ingest path for facts from below (pull, push and bundle): checking a batch.

A batch is accepted only when, for every origin, its facts continue what this node
holds, recompute, link, and are **covered by the origin's own signature**: a
``Checkpoint`` of that origin in the batch, signed with the key its parent enrolled,
at or after every new fact. A relaying node can pass facts on but cannot vouch for
them, so it can neither forge, alter nor drop a descendant's fact undetected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.batch_signatures import SignatureChecks
from domain.canonical import GENESIS_HASH
from domain.codes import NodeCode
from domain.errors import (
    AlteredFactError,
    MalformedFactError,
    OutsideSubtreeError,
    SeqGapError,
    UnknownOriginError,
)
from domain.fact_types.checkpoint import Checkpoint
from domain.identity import journal_id
from domain.ingest_plan import Fork, IngestPlan, OriginPlan
from domain.messages import Text
from domain.wire import from_document

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from domain.facts import Fact
    from domain.journal import Journal
    from domain.ports import Verifier

MAX_BATCH = 5000
"""Facts per ingest call: one batch is one transaction with its cursor."""


class BatchChecker(SignatureChecks):
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
                Text("the signed head must be a Checkpoint of {node}", node=self.source)
            )
        key = self._key(head.node)
        if key is None:
            raise UnknownOriginError(
                Text(
                    "{origin} is not enrolled at {node}",
                    origin=head.node,
                    node=self.receiver,
                )
            )
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
                Text(
                    "{origin}/{seq}: hash does not match the content; altered in "
                    "transit or at the sender",
                    origin=fact.node,
                    seq=fact.seq,
                )
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
                    Text(
                        "{origin}: the batch skips from seq {last_seq} to {seq}",
                        origin=fact.node,
                        last_seq=last_seq,
                        seq=seq,
                    )
                )
            if fact.prev_hash != last.hash:
                raise AlteredFactError(
                    Text(
                        "{origin}/{seq}: prev_hash does not link to seq {last_seq} "
                        "of the same batch; altered in transit",
                        origin=fact.node,
                        seq=seq,
                        last_seq=last_seq,
                    )
                )
        offered.append((fact, document))

    def _check_repeat(self, plan: OriginPlan, fact: Fact) -> None:
        first = plan.offered[0][0].seq
        same = fact.seq >= first and plan.offered[fact.seq - first][0].hash == fact.hash
        if not same:
            raise AlteredFactError(
                Text(
                    "{origin}/{seq}: offered twice in one batch with different content",
                    origin=fact.node,
                    seq=fact.seq,
                )
            )
        self.plan.duplicates += 1

    def _origin(self, fact: Fact) -> OriginPlan:
        origin = fact.node
        if origin not in self.plan.origins:
            code = NodeCode(origin)
            if code == self.receiver or not self.receiver.contains(code):
                raise OutsideSubtreeError(
                    Text(
                        "origin {origin} is outside {node}'s subtree",
                        origin=origin,
                        node=self.receiver,
                    )
                )
            if not self.source.contains(code):
                raise OutsideSubtreeError(
                    Text(
                        "origin {origin} cannot arrive via {source}",
                        origin=origin,
                        source=self.source,
                    )
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
                Text(
                    "{origin}: this node holds up to seq {held_seq}, the batch "
                    "continues at seq {seq}",
                    origin=origin,
                    held_seq=held_seq,
                    seq=first.seq,
                )
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


def _doc(document: object) -> dict[str, Any]:
    return dict(document) if isinstance(document, dict) else {}


__all__ = ["MAX_BATCH", "BatchChecker", "Fork", "IngestPlan", "journal_id"]

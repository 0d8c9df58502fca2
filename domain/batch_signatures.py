"""The signature half of checking a batch from below: every new fact of an origin is
covered by a ``Checkpoint`` that origin signed with the key its parent enrolled (a
key learnt from a covered ``ChildEnrolled`` counts), or the batch is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.codes import NodeCode
from domain.errors import (
    AlteredFactError,
    BadSignatureError,
    KeyMismatchError,
    MalformedFactError,
    UncoveredFactError,
    UnknownOriginError,
)
from domain.fact_types.checkpoint import Checkpoint
from domain.fact_types.child_enrolled import ChildEnrolled
from domain.facts import SPAN_DIGITS
from domain.messages import Text

if TYPE_CHECKING:
    from domain.ingest_plan import IngestPlan, OriginPlan
    from domain.journal import Journal
    from domain.ports import Verifier


class SignatureChecks:
    """Trust and coverage of each origin's run (``BatchChecker`` builds on it)."""

    receiver: NodeCode
    journal: Journal
    verifier: Verifier
    plan: IngestPlan
    learned: dict[str, str]

    def _key(self, origin: str) -> str | None:
        return self.journal.keys.get(origin) or self.learned.get(origin)

    def _check_trust(self, origin: str, plan: OriginPlan) -> None:
        plan.key = self._key(origin)
        if plan.key is None:
            if plan.new or plan.fork:
                raise UnknownOriginError(
                    Text(
                        "{origin} is not enrolled at {node}, nor by any node it has "
                        "heard from; enroll it first",
                        origin=origin,
                        node=self.receiver,
                    )
                )
            return
        offered = plan.offered
        first = offered[0][0] if offered else None
        genesis = first is not None and first.seq == 1
        if genesis and getattr(first, "public_key", None) != plan.key:
            raise KeyMismatchError(
                Text(
                    "{origin} announces a key other than the enrolled one",
                    origin=origin,
                )
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
                        Text(
                            "{origin}/{seq}: the checkpoint's span does not list "
                            "the facts since the previous checkpoint",
                            origin=origin,
                            seq=checkpoint.seq,
                        )
                    )
            plan.signed_seq, start = checkpoint.seq, index + 1

    def _verify_checkpoint(self, fact: Checkpoint, key: str) -> None:
        defect = fact.defect(key, self.verifier)
        if defect is not None:
            raise BadSignatureError(
                Text(
                    "{origin}/{seq}: the checkpoint {defect} (checked against the "
                    "enrolled key)",
                    origin=fact.node,
                    seq=fact.seq,
                    defect=defect,
                )
            )

    def _judge(self, origin: str, plan: OriginPlan) -> bool:
        """True when the origin forked (signed evidence); raise if anything new is
        not covered by the origin's signature."""
        if plan.fork is not None:
            if plan.signed_seq >= plan.fork.offered_seq:
                self.plan.fork = plan.fork
                return True
            raise AlteredFactError(
                Text(
                    "{origin}/{seq}: does not continue the history held here (seq "
                    "{held_seq}), and no signature of {origin} covers it: altered "
                    "in transit or by a relaying node",
                    origin=origin,
                    seq=plan.fork.offered_seq,
                    held_seq=plan.fork.seq,
                )
            )
        if plan.new and plan.signed_seq < plan.seq:
            raise UncoveredFactError(
                Text(
                    "{origin}: facts {first}–{last} are not covered by a checkpoint "
                    "signed by {origin}; a relaying node cannot vouch for them",
                    origin=origin,
                    first=max(plan.first_new, plan.signed_seq + 1),
                    last=plan.seq,
                )
            )
        self._learn_enrollments(origin, plan)
        return False

    def _learn_enrollments(self, origin: str, plan: OriginPlan) -> None:
        for fact in plan.new:
            if not isinstance(fact, ChildEnrolled):
                continue
            if NodeCode(fact.child).parent != NodeCode(origin):
                raise MalformedFactError(
                    Text(
                        "{origin} enrolled {child}, not its child",
                        origin=origin,
                        child=fact.child,
                    )
                )
            known = self._key(fact.child)
            if known is not None and known != fact.public_key:
                raise KeyMismatchError(
                    Text(
                        "{origin}/{seq} enrols {child} with a key other than the one "
                        "already enrolled",
                        origin=origin,
                        seq=fact.seq,
                        child=fact.child,
                    )
                )
            plan.enrollments[fact.child] = self.learned[fact.child] = fact.public_key

"""Journal commands about the network: enrolment, checkpoints, receipts, forks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.actor import node_actor
from domain.codes import NodeCode
from domain.errors import AlreadyEnrolledError, InvalidFieldError, OutsideSubtreeError
from domain.fact_types.batch_received import BatchReceived
from domain.fact_types.checkpoint import Checkpoint
from domain.fact_types.child_enrolled import ChildEnrolled
from domain.fact_types.fork_detected import ForkDetected
from domain.fact_types.fork_resolved import NOTE_LENGTH, ForkResolved
from domain.key_text import PUBLIC_KEY_BYTES, decode_base64
from domain.messages import Text
from domain.ports import checkpoint_message
from domain.text import parse_text
from domain.values import utc_instant

if TYPE_CHECKING:
    from datetime import datetime

    from domain.facts import Fact
    from domain.ports import Signer


class NetworkCommands:
    """Commands a journal accepts from sync and operators, not from clerks' data."""

    node: str
    head_hash: str
    children: dict[str, str]
    keys: dict[str, str]
    origins: dict[str, dict[str, Any]]
    feed_positions: dict[str, int]
    forks: dict[str, dict[str, Any]]
    last_checkpoint: int
    since_checkpoint: list[str]

    version: int
    """The seq of the journal's last fact (the aggregate's version)."""

    if TYPE_CHECKING:

        def _append(
            self,
            cls: type[Fact],
            payload: dict[str, Any],
            timestamp: datetime | None = None,
            actor: str | None = None,
        ) -> Fact: ...

    def enroll(
        self,
        child: str,
        public_key: str,
        fingerprint: str,
        on: str,
        actor: str | None = None,
    ) -> Fact:
        """Trust a direct child's public key (``actor``: the operator who does)."""
        code = NodeCode.parse(child)
        if code.parent != NodeCode(self.node):
            raise OutsideSubtreeError(
                Text(
                    "{child} is not a direct child of {node}",
                    child=code,
                    node=self.node,
                ),
                field="child",
            )
        if code.value in self.children:
            raise AlreadyEnrolledError(
                Text(
                    "{child} is already enrolled at {node}", child=code, node=self.node
                )
            )
        decode_base64(public_key, PUBLIC_KEY_BYTES, "key")
        return self._append(
            ChildEnrolled,
            {
                "effective_on": on,
                "child": code.value,
                "public_key": public_key,
                "fingerprint": fingerprint,
            },
            actor=actor,
        )

    def needs_checkpoint(self) -> bool:
        """True when facts were recorded since the last checkpoint."""
        return self.last_checkpoint != self.version

    def checkpoint(
        self, signer: Signer, on: str, timestamp: datetime | None = None
    ) -> Fact:
        """Sign the current head (node, seq, hash) and record the signature.

        A checkpoint names no actor: its signature says who made it, and signs
        everything else it holds (decision 0035)."""
        timestamp = timestamp or Checkpoint.create_timestamp()
        span = "".join(self.since_checkpoint)
        message = checkpoint_message(
            self.node, self.version, self.head_hash, utc_instant(timestamp), on, span
        )
        payload = {
            "effective_on": on,
            "signed_seq": self.version,
            "signed_hash": self.head_hash,
            "span": span,
            "signature": signer.sign(message),
        }
        return self._append(Checkpoint, payload, timestamp)

    def receive(self, payload: dict[str, Any]) -> Fact:
        """Record that a batch of an origin's facts was stored here (the cursor); the
        node itself records it, whoever carried the batch."""
        return self._append(BatchReceived, payload, actor=node_actor(self.node))

    def detect_fork(self, payload: dict[str, Any]) -> Fact:
        """Keep the evidence of a rewritten history (the node itself records it)."""
        return self._append(ForkDetected, payload, actor=node_actor(self.node))

    def resolve_fork(
        self, origin: str, at_seq: int, note: str, on: str, actor: str | None = None
    ) -> Fact:
        """Close a fork report after an operator (``actor``) looked into it."""
        if f"{origin}:{at_seq}" not in self.forks:
            raise InvalidFieldError(
                Text("no open fork of {origin} at seq {seq}", origin=origin, seq=at_seq)
            )
        return self._append(
            ForkResolved,
            {
                "effective_on": on,
                "origin": origin,
                "at_seq": at_seq,
                "note": parse_text(note, "note", max_len=NOTE_LENGTH),
            },
            actor=actor,
        )

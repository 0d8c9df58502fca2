"""What the domain needs from outside, as protocols (no crypto library here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Sequence
    from contextlib import AbstractContextManager
    from uuid import UUID

    from eventsourcing.persistence import StoredEvent, Tracking

    from domain.state import OrgState


class Signer(Protocol):
    """Signs messages with a node's private key."""

    @property
    def public_key(self) -> str:
        """The matching public key, as ledger facts carry it (base64 of raw bytes)."""
        ...

    def sign(self, message: bytes) -> str:
        """The signature of ``message``, base64."""
        ...


class HeldOrganizations(Protocol):
    """Organizations a node holds only through its descendants' facts (a street
    grading a community's filing): its views answer."""

    def held_org(self, org_id: str) -> OrgState | None:
        """The organization as the rules need it, or None if the node holds none."""
        ...


class Verifier(Protocol):
    """Checks signatures against public keys."""

    def verify(self, public_key: str, message: bytes, signature: str) -> bool:
        """True when ``signature`` is ``public_key``'s signature of ``message``."""
        ...

    def fingerprint(self, public_key: str) -> str:
        """A short, human-comparable digest of a public key."""
        ...


def checkpoint_message(
    node: str, seq: int, fact_hash: str, recorded_at: str, effective_on: str, span: str
) -> bytes:
    """The exact bytes a Checkpoint signs: the head (node, seq, hash) it vouches for,
    the hashes it spans, and its own times, so the signature fixes its hash too."""
    lines = ("tierledger-checkpoint/2", node, str(seq), fact_hash, recorded_at)
    return "\n".join((*lines, effective_on, span)).encode("utf-8")


def witness_message(parent: str, child: str, seq: int, fact_hash: str) -> bytes:
    """The exact bytes a parent signs when it holds a child's journal up to a head."""
    lines = ("tierledger-witness/1", parent, child, str(seq), fact_hash)
    return "\n".join(lines).encode("utf-8")


@runtime_checkable
class RequestLog(Protocol):
    """A store that keeps, with the facts, which request (Idempotency-Key) recorded
    them: ``insert_events(..., request=(key, digest))`` writes it."""

    def recall_request(self, key: str) -> tuple[str, int, int] | None:
        """(request digest, first seq, last seq) of an answered request, or None."""
        ...


class OpenSave(Protocol):
    """One transaction a large save is written into part by part: committed when
    its context ends, rolled back, every part with it, when an error leaves it."""

    def insert(self, stored_events: Sequence[StoredEvent]) -> None:
        """Write a part of the save's events (not yet visible to anyone else)."""
        ...

    def select(self, originator_id: UUID, version: int) -> StoredEvent | None:
        """An event of this store, including one this save has written."""
        ...

    def finish(
        self, tracking: Tracking, requests: Sequence[tuple[str, str, int, int]]
    ) -> int | None:
        """Write the head and the answered requests; the last notification id."""
        ...


@runtime_checkable
class SavesInParts(Protocol):
    """A store that can keep one transaction open while a large save is written in
    parts, so an import of any size is all or nothing without being held whole."""

    def save_in_parts(self) -> AbstractContextManager[OpenSave]:
        """Open the transaction (see ``OpenSave``)."""
        ...

"""What the domain needs from outside, as protocols (no crypto library here)."""

from __future__ import annotations

from typing import Protocol


class Signer(Protocol):
    """Signs messages with a node's private key."""

    @property
    def public_key(self) -> str:
        """The matching public key, as ledger facts carry it (base64 of raw bytes)."""
        ...

    def sign(self, message: bytes) -> str:
        """The signature of ``message``, base64."""
        ...


class Verifier(Protocol):
    """Checks signatures against public keys."""

    def verify(self, public_key: str, message: bytes, signature: str) -> bool:
        """True when ``signature`` is ``public_key``'s signature of ``message``."""
        ...

    def fingerprint(self, public_key: str) -> str:
        """A short, human-comparable digest of a public key."""
        ...


def checkpoint_message(node: str, seq: int, fact_hash: str) -> bytes:
    """The exact bytes a Checkpoint signs: the head (node, seq, hash) it vouches for."""
    return f"tierledger-checkpoint/1\n{node}\n{seq}\n{fact_hash}".encode("ascii")

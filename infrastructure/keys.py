"""A node's Ed25519 key pair, kept in its home folder with owner-only permissions."""

from __future__ import annotations

import base64
import os
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from domain.errors import InvalidFieldError, LedgerError
from domain.key_text import (
    PUBLIC_KEY_BYTES,
    SIGNATURE_BYTES,
    decode_base64,
    key_fingerprint,
)
from domain.messages import Text

if TYPE_CHECKING:
    from pathlib import Path


def create_key(path: Path) -> str:
    """Generate a private key at ``path`` (mode 0600) and return its public key."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return public_key_text(key)


class KeyFileError(LedgerError):
    """A node's key file that is not the unencrypted Ed25519 key ``init`` wrote."""

    code = "bad-key-file"


def load_key(path: Path) -> Ed25519PrivateKey:
    """Read a node's private key."""
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError):  # not PEM, or encrypted
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(
            Text("{path} does not hold an Ed25519 private key", path=str(path))
        )
    return key


def public_key_text(key: Ed25519PrivateKey) -> str:
    """The raw 32-byte public key, base64 — the form ledger facts carry."""
    raw = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw).decode("ascii")


class Ed25519Signer:
    """Signs with a node's private key (the domain's Signer port)."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key

    @classmethod
    def from_file(cls, path: Path) -> Ed25519Signer:
        """The signer of the key stored at ``path``."""
        return cls(load_key(path))

    @property
    def public_key(self) -> str:
        """The raw public key, base64."""
        return public_key_text(self._key)

    def sign(self, message: bytes) -> str:
        """The base64 signature of ``message``."""
        return base64.b64encode(self._key.sign(message)).decode("ascii")


class Ed25519Verifier:
    """Checks Ed25519 signatures (the domain's Verifier port)."""

    def verify(self, public_key: str, message: bytes, signature: str) -> bool:
        """True when the signature is valid; False for any malformed input."""
        # Only the one canonical text of a key or signature counts: base64 ignores
        # spare bits, and a relay must not make a second text (and hash) of a fact.
        try:
            key = Ed25519PublicKey.from_public_bytes(
                decode_base64(public_key, PUBLIC_KEY_BYTES, "key")
            )
            key.verify(decode_base64(signature, SIGNATURE_BYTES, "signature"), message)
        except (InvalidSignature, InvalidFieldError):
            return False
        return True

    def fingerprint(self, public_key: str) -> str:
        """SHA-256 of the raw key, first 16 hex digits in groups of four."""
        return key_fingerprint(decode_base64(public_key, PUBLIC_KEY_BYTES, "key"))

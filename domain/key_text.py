"""Public keys and signatures as facts carry them: raw bytes in canonical base64.

Base64 leaves spare bits in its last character; decoders ignore them, so one value
has several texts. Facts hold the one canonical text only, so a relay cannot offer a
second, different-looking text of the same key or signature.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from domain.errors import InvalidFieldError
from domain.messages import Text

PUBLIC_KEY_BYTES = 32
"""An Ed25519 public key."""
SIGNATURE_BYTES = 64
"""An Ed25519 signature."""


def decode_base64(text: object, size: int, field: str) -> bytes:
    """Exactly ``size`` raw bytes, from their one canonical base64 text."""
    raw = b""
    if isinstance(text, str) and text.isascii():
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
    if len(raw) != size or base64.b64encode(raw).decode("ascii") != text:
        length = 4 * ((size + 2) // 3)
        raise InvalidFieldError(
            Text(
                "{field} must be {size} raw bytes in canonical base64 ({length} "
                "characters)",
                field=field,
                size=size,
                length=length,
            ),
            field=field,
        )
    return raw


def key_fingerprint(raw_key: bytes) -> str:
    """SHA-256 of a raw public key: its first 16 hex digits in groups of four."""
    digest = hashlib.sha256(raw_key).hexdigest()[:16]
    return ":".join(digest[i : i + 4] for i in range(0, 16, 4))

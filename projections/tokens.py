"""Bearer tokens of a node, stored hashed in its folder; compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

ROLES = ("clerk", "auditor", "peer")


@dataclass(frozen=True)
class TokenEntry:
    """One issued token: its hash, role and, for peers, the node it was issued to."""

    id: str
    sha256: str
    role: str
    subject: str | None
    created_at: str


class TokenStore:
    """The tokens file of one node (``tokens.json``, owner-only)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def create(self, role: str, subject: str | None = None) -> str:
        """Issue a token; only its hash is kept, so it is shown exactly once."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        token = "tl_" + secrets.token_urlsafe(32)
        entry = TokenEntry(
            secrets.token_hex(4),
            _digest(token),
            role,
            subject,
            datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self._write([*self.entries(), entry])
        return token

    def authenticate(self, token: str) -> TokenEntry | None:
        """The entry of a presented token, or None; every entry is compared."""
        digest = _digest(token)
        found = None
        for entry in self.entries():
            if hmac.compare_digest(entry.sha256, digest):
                found = entry
        return found

    def entries(self) -> list[TokenEntry]:
        """Every issued token's entry."""
        if not self.path.exists():
            return []
        return [TokenEntry(**raw) for raw in json.loads(self.path.read_text("utf-8"))]

    def _write(self, entries: list[TokenEntry]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump([asdict(e) for e in entries], f, indent=1)
        temporary.replace(self.path)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

"""Bearer tokens of a node, stored hashed in its folder; compared in constant time.

The tokens file is owner-only and changed under an exclusive lock, so processes
issuing tokens side by side lose none. A token can expire and be revoked; the last
time it was used is kept (to the minute, so a busy server does not rewrite the file
on every request).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from domain.codes import NodeCode
from domain.errors import InvalidFieldError
from domain.messages import Text
from infrastructure.files import write_private

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

ROLES = ("clerk", "auditor", "peer")
USE_RECORDED_EVERY = 60.0
"""Seconds between two records of one token's last use."""


@dataclass(frozen=True)
class TokenEntry:
    """One issued token: its hash, role and, for peers, the node it was issued to."""

    id: str
    sha256: str
    role: str
    subject: str | None
    created_at: str
    expires_at: str | None = None
    revoked_at: str | None = None
    last_used_at: str | None = None

    def live(self, now: str) -> bool:
        """Neither revoked nor expired at ``now`` (UTC ISO text)."""
        return self.revoked_at is None and (
            self.expires_at is None or now < self.expires_at
        )

    def public(self) -> dict[str, str | None]:
        """What may be shown: everything but the hash."""
        shown = asdict(self)
        shown.pop("sha256")
        return shown


def peer_direction(node: NodeCode, subject: str | None) -> str | None:
    """ "parent" for a token issued to this node's parent (it reads the feed and
    hands back receipts), "child" for one issued to a direct child (it pushes and
    reads its own cursor), None otherwise."""
    if subject is None:
        return None
    other = NodeCode.parse(subject)
    if node.parent == other:
        return "parent"
    return "child" if other.parent == node else None


class TokenStore:
    """The tokens file of one node (``tokens.json``, owner-only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._used: dict[str, float] = {}
        self._read: tuple[tuple[int, int, int], list[TokenEntry]] | None = None
        """The entries as last read, and the file's (inode, mtime, size) then."""

    def create(
        self, role: str, subject: str | None = None, expires_at: str | None = None
    ) -> str:
        """Issue a token; only its hash is kept, so it is shown exactly once."""
        if role not in ROLES:
            raise InvalidFieldError(
                Text("role must be one of {roles}", roles=", ".join(ROLES))
            )
        token = "tl_" + secrets.token_urlsafe(32)
        entry = TokenEntry(
            secrets.token_hex(4),
            _digest(token),
            role,
            subject,
            _now(),
            expires_at,
        )
        with self._locked():
            self._write([*self.entries(), entry])
        return token

    def authenticate(self, token: str) -> TokenEntry | None:
        """The live entry of a presented token, or None; every entry is compared."""
        digest = _digest(token)
        found = None
        for entry in self.entries():
            if hmac.compare_digest(entry.sha256, digest):
                found = entry
        if found is None or not found.live(_now()):
            return None
        self._note_use(found.id)
        return found

    def revoke(self, token_id: str) -> TokenEntry:
        """Revoke a token by its id; it is refused from then on."""
        with self._locked():
            entries = self.entries()
            found = next((e for e in entries if e.id == token_id), None)
            if found is None:
                raise InvalidFieldError(
                    Text("no token with id {id}", id=repr(token_id)), field="id"
                )
            revoked = dataclasses.replace(found, revoked_at=found.revoked_at or _now())
            self._write([revoked if e.id == token_id else e for e in entries])
        return revoked

    def entries(self) -> list[TokenEntry]:
        """Every issued token's entry; the file is read again only when it changed
        (every request authenticates: a stat, not a read and a parse)."""
        try:
            found = self.path.stat()
        except FileNotFoundError:
            return []
        # Writes replace the file, so a change shows in its inode and mtime.
        signature = (found.st_ino, found.st_mtime_ns, found.st_size)
        if self._read is None or self._read[0] != signature:
            raw = json.loads(self.path.read_text("utf-8"))
            self._read = signature, [TokenEntry(**item) for item in raw]
        return list(self._read[1])

    def _note_use(self, token_id: str) -> None:
        moment = time.monotonic()
        if moment - self._used.get(token_id, -USE_RECORDED_EVERY) < USE_RECORDED_EVERY:
            return
        self._used[token_id] = moment
        with self._locked():
            now = _now()
            self._write(
                [
                    dataclasses.replace(e, last_used_at=now) if e.id == token_id else e
                    for e in self.entries()
                ]
            )

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time, across processes (a lock file beside the tokens)."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _write(self, entries: list[TokenEntry]) -> None:
        write_private(self.path, json.dumps([asdict(e) for e in entries], indent=1))


def parse_expiry(text: str, now: datetime | None = None) -> str:
    """``30d``, ``12h`` or an ISO date/instant as the UTC instant a token expires."""
    now = now or datetime.now(UTC)
    unit = {"d": 86400, "h": 3600}.get(text[-1:])
    number = text[:-1]
    if unit and number.isascii() and number.isdigit() and 0 < int(number) <= 3650:
        moment = now.timestamp() + int(number) * unit
        return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidFieldError(
            Text(
                "--expires {value} is not like 30d, 12h or 2027-01-01",
                value=repr(text),
            ),
            field="expires",
        ) from None
    found = found if found.tzinfo else found.replace(tzinfo=UTC)
    if found <= now:
        raise InvalidFieldError(
            Text("--expires {value} is already past", value=text), field="expires"
        )
    return found.astimezone(UTC).isoformat(timespec="seconds")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

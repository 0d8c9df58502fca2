"""Web sessions of a node, kept server-side so that they can end before they expire.

One owner-only SQLite file per node (``sessions.sqlite``, beside the tokens), shared
by the server and the command line: signing out, a password change or disabling an
account ends sessions at once. The cookie carries a random session id; the file
keeps only its SHA-256, so a copy of the file opens no session. Each session has its
own CSRF token, sent back in a hidden field of every form.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import sqlite3
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from infrastructure.files import private_file

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SEEN_RECORDED_EVERY = 60
"""Seconds between two records of a session's last use (idle expiry is in minutes)."""
SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    digest TEXT PRIMARY KEY,   -- SHA-256 of the session id the cookie carries
    account TEXT NOT NULL,
    stamp TEXT NOT NULL,       -- the account's stamp when it signed in
    csrf TEXT NOT NULL,
    opened INTEGER NOT NULL,   -- Unix seconds
    seen INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account);
"""


@dataclass(frozen=True)
class Expiry:
    """A session ends ``idle`` seconds after its last use, ``absolute`` after it
    opened, whichever comes first."""

    idle: int = 30 * 60
    absolute: int = 12 * 3600


@dataclass(frozen=True)
class Session:
    """One signed-in browser."""

    account: str
    stamp: str = field(repr=False)
    csrf: str = field(repr=False)
    """The token every form of this session sends back (compared in constant time)."""
    opened: int
    seen: int


class SessionStore:
    """The sessions file of one node."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def open(self, account: str, stamp: str) -> str:
        """A new session for ``account``; its id, to be given to the browser once."""
        session_id = secrets.token_urlsafe(32)
        moment = now()
        with self._db() as db:
            db.execute(
                "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)",
                (_digest(session_id), account, stamp, secrets.token_urlsafe(32),
                 moment, moment),
            )  # fmt: skip
        return session_id

    def find(self, session_id: str, expiry: Expiry) -> Session | None:
        """The live session of that id, its last use noted; None if there is none
        (or it expired: then it is removed)."""
        digest, moment = _digest(session_id), now()
        with self._db() as db:
            row = db.execute(
                "SELECT account, stamp, csrf, opened, seen FROM sessions "
                "WHERE digest = ?",
                (digest,),
            ).fetchone()
            if row is None:
                return None
            session = Session(*row)
            if (
                moment - session.seen > expiry.idle
                or moment - session.opened > expiry.absolute
            ):
                db.execute("DELETE FROM sessions WHERE digest = ?", (digest,))
                return None
            if moment - session.seen >= SEEN_RECORDED_EVERY:
                db.execute(
                    "UPDATE sessions SET seen = ? WHERE digest = ?", (moment, digest)
                )
        return session

    def end(self, session_id: str) -> None:
        """End one session (signing out)."""
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE digest = ?", (_digest(session_id),))

    def end_all(self, account: str) -> int:
        """End every session of an account; how many there were."""
        with self._db() as db:
            return db.execute(
                "DELETE FROM sessions WHERE account = ?", (account,)
            ).rowcount

    def purge(self, expiry: Expiry) -> int:
        """Remove expired sessions; how many."""
        moment = now()
        with self._db() as db:
            return db.execute(
                "DELETE FROM sessions WHERE seen < ? OR opened < ?",
                (moment - expiry.idle, moment - expiry.absolute),
            ).rowcount

    def count(self, account: str) -> int:
        """How many sessions an account holds (expired ones not yet purged too)."""
        with self._db() as db:
            row = db.execute(
                "SELECT count(*) FROM sessions WHERE account = ?", (account,)
            ).fetchone()
        return int(row[0])

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection for one short transaction (the server and the command line
        share the file; SQLite's locking keeps them apart)."""
        fresh = not self.path.exists()
        db = sqlite3.connect(private_file(self.path), timeout=10)
        try:
            if fresh:
                db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)
            with db:
                yield db
        finally:
            db.close()


def now() -> int:
    """The sessions' clock: Unix seconds (a test may set another)."""
    return int(time.time())


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()

"""Named accounts of a node's web interface: people, with Argon2id-hashed passwords.

The accounts file (``users.json``) lives beside the tokens, owner-only, changed under
an exclusive lock and read again only when it changes, like ``tokens.json``. Each
account carries a ``stamp`` that changes with its password and when it is disabled:
a session remembers the stamp it was opened under, so both revoke it at once, a
running server included. Repeated failed sign-ins lock an account for a while.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.errors import InvalidFieldError
from domain.messages import Text
from domain.text import parse_text
from infrastructure.files import write_private

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

ROLES = ("clerk", "auditor")
"""What a person may be at a node (peer tokens are for nodes, not people)."""
MIN_PASSWORD, MAX_PASSWORD = 10, 256
"""Password length bounds: long enough to resist guessing, short enough to hash."""
MAX_NAME = 32


@dataclass(frozen=True)
class Lockout:
    """After ``failures`` wrong passwords in a row an account is locked ``minutes``."""

    failures: int = 5
    minutes: int = 15


@dataclass(frozen=True)
class Account:
    """One person's account at a node."""

    name: str
    role: str
    password_hash: str = field(repr=False)
    """Argon2id, in the PHC string form (parameters and salt included)."""
    stamp: str = field(repr=False)
    """Changes with the password and on disabling: sessions opened before end."""
    created_at: str
    disabled_at: str | None = None
    failures: int = 0
    """Wrong passwords given since the last sign-in or lock."""
    locked_until: str | None = None

    @property
    def actor(self) -> str:
        """How facts recorded by this person name who recorded them."""
        return f"user:{self.name}"

    def public(self) -> dict[str, str | int | None]:
        """What may be shown: everything but the hash and the stamp."""
        shown = asdict(self)
        del shown["password_hash"], shown["stamp"]
        return shown


class SignInRefusedError(InvalidFieldError):
    """A sign-in that did not succeed (the message never says which part was wrong)."""


class AccountStore:
    """The accounts file of one node (``users.json``, owner-only)."""

    def __init__(self, path: Path, hasher: PasswordHasher | None = None) -> None:
        self.path = path
        self.hasher = hasher or default_hasher()
        self._read: tuple[tuple[int, int, int], list[Account]] | None = None
        self._dummy: str | None = None

    def add(self, name: str, role: str, password: str) -> Account:
        """Open an account; the name must be new at this node."""
        name = parse_name(name)
        if role not in ROLES:
            raise InvalidFieldError(
                Text("role must be one of {roles}", roles=", ".join(ROLES)),
                field="role",
            )
        check_password(password, name)
        account = Account(name, role, self.hasher.hash(password), _stamp(), _now())
        with self._locked():
            entries = self.entries()
            if any(e.name == name for e in entries):
                raise InvalidFieldError(
                    Text("an account named {name} already exists", name=name),
                    field="name",
                )
            self._write([*entries, account])
        return account

    def get(self, name: str) -> Account | None:
        """The account of that name, or None."""
        return next((e for e in self.entries() if e.name == name), None)

    def set_password(self, name: str, password: str) -> Account:
        """Change a password; every session of the account ends."""
        check_password(password, name)
        digest = self.hasher.hash(password)
        return self._change(
            name,
            lambda a: dataclasses.replace(
                a, password_hash=digest, stamp=_stamp(), failures=0, locked_until=None
            ),
        )

    def disable(self, name: str) -> Account:
        """Disable an account: it cannot sign in, and its sessions end."""
        return self._change(
            name,
            lambda a: dataclasses.replace(
                a, disabled_at=a.disabled_at or _now(), stamp=_stamp()
            ),
        )

    def sign_in(self, name: str, password: str, lockout: Lockout) -> Account:
        """The account if the password is right; SignInRefusedError otherwise, counting
        the failure (and locking the account after ``lockout.failures``)."""
        account = self.get(name.strip())
        if account is None or account.disabled_at:
            self._waste(password)  # as slow as a real check: names are not probed
            raise _wrong()
        if account.locked_until and _now() < account.locked_until:
            raise _locked(account.locked_until)
        if not self._verifies(account.password_hash, password):
            self._fail(account.name, lockout)
            raise _wrong()
        rehash = self.hasher.check_needs_rehash(account.password_hash)
        if account.failures or account.locked_until or rehash:
            digest = self.hasher.hash(password) if rehash else account.password_hash
            self._change(
                account.name,
                lambda a: dataclasses.replace(
                    a, failures=0, locked_until=None, password_hash=digest
                ),
            )
        return account

    def entries(self) -> list[Account]:
        """Every account; the file is read again only when it changed."""
        try:
            found = self.path.stat()
        except FileNotFoundError:
            return []
        signature = (found.st_ino, found.st_mtime_ns, found.st_size)
        if self._read is None or self._read[0] != signature:
            raw = json.loads(self.path.read_text("utf-8"))
            self._read = signature, [Account(**item) for item in raw]
        return list(self._read[1])

    def _verifies(self, digest: str, password: str) -> bool:
        try:
            return self.hasher.verify(digest, password)
        except (VerificationError, InvalidHashError):
            return False

    def _waste(self, password: str) -> None:
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_hex(16))
        self._verifies(self._dummy, password)

    def _fail(self, name: str, lockout: Lockout) -> None:
        def counted(account: Account) -> Account:
            failures = account.failures + 1
            if failures < lockout.failures:
                return dataclasses.replace(account, failures=failures)
            until = datetime.now(UTC) + timedelta(minutes=lockout.minutes)
            return dataclasses.replace(
                account, failures=0, locked_until=until.isoformat(timespec="seconds")
            )

        self._change(name, counted)

    def _change(self, name: str, change: Callable[[Account], Account]) -> Account:
        with self._locked():
            entries = self.entries()
            found = next((e for e in entries if e.name == name), None)
            if found is None:
                raise InvalidFieldError(
                    Text("no account named {name}", name=name), field="name"
                )
            changed = change(found)
            self._write([changed if e.name == name else e for e in entries])
        return changed

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time, across processes (a lock file beside the accounts)."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _write(self, entries: list[Account]) -> None:
        text = json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=1)
        write_private(self.path, text)


def default_hasher() -> PasswordHasher:
    """Argon2id with RFC 9106's second recommended profile (64 MiB, 3 passes): a
    hash made with other parameters is made anew at its next sign-in."""
    return PasswordHasher()


def parse_name(value: object) -> str:
    """A person's name as an account's: visible text, no spaces, at most 32."""
    name = parse_text(value, "name", max_len=MAX_NAME)
    if any(char.isspace() for char in name):
        raise InvalidFieldError(
            Text("an account name holds no spaces: {name}", name=repr(name)),
            field="name",
        )
    return name


def check_password(password: str, name: str) -> None:
    """Refuse a password too short, too long, or the account's own name."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidFieldError(
            Text(
                "a password has {least} to {most} characters",
                least=MIN_PASSWORD,
                most=MAX_PASSWORD,
            ),
            field="password",
        )
    if password.strip().casefold() == name.casefold():
        raise InvalidFieldError(
            Text("a password must not be the account's name"), field="password"
        )


def _wrong() -> SignInRefusedError:
    return SignInRefusedError(
        Text("the account name or the password is not right"), field="password"
    )


def _locked(until: str) -> SignInRefusedError:
    left = datetime.fromisoformat(until) - datetime.now(UTC)
    minutes = max(1, -(-int(left.total_seconds()) // 60))
    return SignInRefusedError(
        Text(
            "too many wrong passwords: this account is locked; try again in "
            "{minutes} minutes",
            minutes=minutes,
        ),
        field="password",
    )


def _stamp() -> str:
    return secrets.token_hex(8)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")

"""The principal a request acts for: a person's session or a bearer token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infrastructure.accounts import Account
    from infrastructure.tokens import TokenEntry


@dataclass(frozen=True)
class Principal:
    """Who a request acts for, and what they may do."""

    actor: str
    """Stable and shown to auditors: ``user:王秀英`` or ``token:<id>`` — what a
    fact recorded for this request names as its recorder."""
    role: str
    kind: str
    """``user`` (a person, signed in) or ``token`` (a bearer token)."""
    subject: str | None = None
    """The node a peer token was issued to."""
    name: str | None = None
    """A person's account name."""
    csrf: str | None = field(default=None, repr=False)
    """The session's CSRF token, which its forms send back (users only)."""

    @classmethod
    def of_token(cls, entry: TokenEntry) -> Principal:
        """The principal a bearer token stands for."""
        return cls(f"token:{entry.id}", entry.role, "token", subject=entry.subject)

    @classmethod
    def of_account(cls, account: Account, csrf: str) -> Principal:
        """The principal of a person signed in to ``account``."""
        return cls(account.actor, account.role, "user", name=account.name, csrf=csrf)

"""ChildEnrolled: a parent trusts a direct child's public key."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain.definition import FactType
from domain.errors import InvalidFieldError
from domain.facts import Fact
from domain.key_text import key_fingerprint
from domain.messages import Text
from domain.stored_fields import derived, stored_code, stored_key

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.stored_fields import Stored


class ChildEnrolled(Fact):
    """A parent trusts a direct child's public key: trust itself is a ledger fact."""

    child: str
    public_key: str
    fingerprint: str

    org_field: ClassVar[str | None] = None
    business_date: ClassVar[bool] = False

    def evolve(self, journal: Journal) -> None:
        journal.children[self.child] = self.public_key
        journal.keys[self.child] = self.public_key


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A direct child of the origin, a key and the fingerprint derived from it."""
    child = stored_code(p["child"], "payload.child")
    if child.parent != stored.node:
        raise InvalidFieldError(
            Text(
                "payload.child {child} is not a direct child of {node}",
                child=child,
                node=stored.node,
            ),
            field="payload.child",
        )
    raw = stored_key(p["public_key"], "payload.public_key")
    derived("payload.fingerprint", p["fingerprint"], key_fingerprint(raw))


FACT_TYPE = FactType(ChildEnrolled, check_stored)

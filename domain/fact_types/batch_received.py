"""BatchReceived: what this node learned of an origin's journal, and when."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from domain.definition import FactType
from domain.errors import InvalidFieldError
from domain.facts import Fact
from domain.messages import Text
from domain.stored_fields import (
    stored_below,
    stored_code,
    stored_count,
    stored_hex,
    stored_key,
    stored_via,
)

if TYPE_CHECKING:
    from domain.journal import Journal
    from domain.stored_fields import Stored

TRANSPORTS = ("pull", "push", "bundle")


class BatchReceived(Fact):
    """This node stored facts from_seq..to_seq of an origin's journal, verbatim.

    Recorded in the same transaction as the facts, so it is both the node's cursor for
    that origin and its evidence of when it learned them.
    """

    origin: str
    from_seq: int
    to_seq: int
    head_hash: str
    via: str
    """The node the batch came from (the origin itself or one of its ancestors)."""
    transport: str
    """pull, push or bundle."""
    feed_position: int
    """Position in ``via``'s feed after this batch (the pull cursor)."""
    via_head_seq: int
    """``via``'s own head seq as it reported it (0 if unknown): the base of lag."""
    signed_seq: int
    """The origin's latest seq covered by a verified checkpoint signature."""
    enrollments: dict[str, str]
    """Children the origin enrolled in this batch, child -> public key."""

    org_field: ClassVar[str | None] = None
    business_date: ClassVar[bool] = False

    def evolve(self, journal: Journal) -> None:
        held = journal.origins.setdefault(self.origin, {})
        held.update(
            seq=self.to_seq,
            hash=self.head_hash,
            signed_seq=self.signed_seq,
            via=self.via,
            at=self.recorded_at,
        )
        if self.via in journal.origins and self.via_head_seq:
            journal.origins[self.via]["reported_head"] = self.via_head_seq
        journal.keys.update(self.enrollments)
        position = journal.feed_positions.get(self.via, 0)
        journal.feed_positions[self.via] = max(position, self.feed_position)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """An origin below, a route through, seqs in order, children the origin enrolled."""
    origin = stored_below(p["origin"], "payload.origin", stored)
    stored_via(p["via"], origin, stored)
    low = stored_count(p["from_seq"], "payload.from_seq")
    high = stored_count(p["to_seq"], "payload.to_seq", minimum=low)
    stored_hex(p["head_hash"], "payload.head_hash")
    if p["transport"] not in TRANSPORTS:
        raise InvalidFieldError(
            Text(
                "payload.transport must be one of {transports}",
                transports=", ".join(TRANSPORTS),
            ),
            field="payload.transport",
        )
    stored_count(p["feed_position"], "payload.feed_position", minimum=0)
    stored_count(p["via_head_seq"], "payload.via_head_seq", minimum=0)
    if stored_count(p["signed_seq"], "payload.signed_seq", minimum=0) > high:
        raise InvalidFieldError(
            Text("payload.signed_seq lies beyond to_seq"), field="payload.signed_seq"
        )
    _enrollments(p["enrollments"], origin.value)


def _enrollments(value: object, origin: str) -> None:
    field = "payload.enrollments"
    if not isinstance(value, Mapping):
        raise InvalidFieldError(
            Text("{field} must map children to keys", field=field), field=field
        )
    for child, key in value.items():
        code = stored_code(child, f"{field}.{child}")
        if code.parent is None or code.parent.value != origin:
            raise InvalidFieldError(
                Text(
                    "{field} names {code}, not a child of {origin}",
                    field=field,
                    code=code,
                    origin=origin,
                ),
                field=field,
            )
        stored_key(key, f"{field}.{child}")


FACT_TYPE = FactType(BatchReceived, check_stored, free_form=True)

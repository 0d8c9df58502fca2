"""ForkDetected: evidence that an origin signed a history other than the one held."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from domain.definition import FactType
from domain.errors import InvalidFieldError
from domain.facts import Fact
from domain.messages import Text
from domain.stored_fields import stored_below, stored_count, stored_hex, stored_via

if TYPE_CHECKING:
    from domain.journal import Journal
    from domain.stored_fields import Stored


class ForkDetected(Fact):
    """Evidence: an origin signed a history that differs from the one held here.

    At ``at_seq`` this node holds ``held_hash``; the origin's offered chain, covered by
    its own signature, has ``offered_hash`` there (a re-offered seq, or a restored
    backup whose next fact links to another hash).
    """

    origin: str
    at_seq: int
    held_hash: str
    offered_hash: str
    offered: dict[str, Any]
    """The offered fact document that shows the other hash, verbatim."""
    via: str

    org_field: ClassVar[str | None] = None
    business_date: ClassVar[bool] = False

    def evolve(self, journal: Journal) -> None:
        journal.forks[f"{self.origin}:{self.at_seq}"] = {
            "origin": self.origin,
            "at_seq": self.at_seq,
            "held_hash": self.held_hash,
            "offered_hash": self.offered_hash,
            "via": self.via,
            "detected_seq": self.seq,
        }


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """Two different hashes at one seq of an origin below, the offered one shown."""
    origin = stored_below(p["origin"], "payload.origin", stored)
    at_seq = stored_count(p["at_seq"], "payload.at_seq")
    held = stored_hex(p["held_hash"], "payload.held_hash")
    offered_hash = stored_hex(p["offered_hash"], "payload.offered_hash")
    if held == offered_hash:
        raise InvalidFieldError(
            Text("payload.offered_hash is the held hash: no fork"),
            field="payload.offered_hash",
        )
    _offered(p["offered"], origin.value, at_seq, offered_hash)
    stored_via(p["via"], origin, stored)


def _offered(value: object, origin: str, at_seq: int, offered_hash: str) -> None:
    """The quoted document shows the offered hash: as its own hash at ``at_seq``, or
    as its ``prev_hash`` at the seq after (its structure is checked as a document)."""
    field = "payload.offered"
    doc = value if isinstance(value, Mapping) else {}
    shows = (doc.get("seq"), doc.get("hash")) == (at_seq, offered_hash) or (
        doc.get("seq"),
        doc.get("prev_hash"),
    ) == (at_seq + 1, offered_hash)
    if doc.get("node") != origin or not shows:
        raise InvalidFieldError(
            Text(
                "{field} is not {origin}'s document showing offered_hash at seq {seq}",
                field=field,
                origin=origin,
                seq=at_seq,
            ),
            field=field,
        )


FACT_TYPE = FactType(ForkDetected, check_stored, free_form=True)

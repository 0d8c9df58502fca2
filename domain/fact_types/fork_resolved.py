"""ForkResolved: an operator closed a fork report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain.definition import FactType
from domain.facts import Fact
from domain.stored_fields import same, stored_below, stored_count
from domain.text import parse_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.stored_fields import Stored

NOTE_LENGTH = 500
"""An operator's note closing a fork report."""


class ForkResolved(Fact):
    """An operator closed a fork report; the held history stays, the offer refused."""

    origin: str
    at_seq: int
    note: str

    org_field: ClassVar[str | None] = None
    business_date: ClassVar[bool] = False

    def evolve(self, journal: Journal) -> None:
        journal.forks.pop(f"{self.origin}:{self.at_seq}", None)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """An origin below, a seq, an operator's note."""
    stored_below(p["origin"], "payload.origin", stored)
    stored_count(p["at_seq"], "payload.at_seq")
    note = p["note"]
    same(lambda v, f: parse_text(v, f, max_len=NOTE_LENGTH), note, "payload.note")


FACT_TYPE = FactType(ForkResolved, check_stored)

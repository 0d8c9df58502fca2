"""What an audit diff compares: two business dates, two knowledge instants, or both.

A pair not given stands still: comparing two business dates keeps one knowledge
instant (``known_at``, else everything held) on both sides, and comparing two
knowledge instants keeps one business date (``as_of``, else today).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from domain.errors import InvalidFieldError
from domain.messages import Text

NAMES = {
    "as_of": "as_of",
    "known_at": "known_at",
    "as_of_from": "as_of_from",
    "as_of_to": "as_of_to",
    "known_from": "from",
    "known_to": "to",
}
"""How each value is named where it is asked for (the API's query parameters)."""


@dataclass(frozen=True)
class Span:
    """The values an auditor gave for a diff, as given (checked by ``check``)."""

    as_of: str | None = None
    """One business date for both sides (with two knowledge instants)."""
    known_at: str | None = None
    """One knowledge instant for both sides (with two business dates)."""
    as_of_from: str | None = None
    as_of_to: str | None = None
    known_from: str | None = None
    known_to: str | None = None

    def check(self) -> None:
        """Refuse a span that compares nothing, gives half of a pair, or gives a
        pair beside the one value that would stand for both its sides."""
        given = {f.name for f in fields(self) if getattr(self, f.name) is not None}
        for first, second, single in (
            ("as_of_from", "as_of_to", "as_of"),
            ("known_from", "known_to", "known_at"),
        ):
            if (first in given) != (second in given):
                missing = second if first in given else first
                raise InvalidFieldError(
                    Text(
                        "give both {first} and {second}, or neither",
                        first=NAMES[first],
                        second=NAMES[second],
                    ),
                    field=NAMES[missing],
                )
            if first in given and single in given:
                raise InvalidFieldError(
                    Text(
                        "{single} stands for both sides: give it or {first} and "
                        "{second}, not both",
                        single=NAMES[single],
                        first=NAMES[first],
                        second=NAMES[second],
                    ),
                    field=NAMES[single],
                )
        if not given & {"as_of_from", "known_from"}:
            raise InvalidFieldError(
                Text(
                    "say what to compare: two business dates (as_of_from and "
                    "as_of_to), two knowledge instants (from and to), or both"
                ),
                field="as_of_from",
            )


def in_order(name_from: str, earlier: str, name_to: str, later: str) -> None:
    """Refuse a pair whose first side (a date or UTC instant, ISO: they order as
    text) comes after its second."""
    if earlier > later:
        raise InvalidFieldError(
            Text(
                "{name_from} {earlier} is after {name_to} {later}: give the earlier "
                "one as {name_from}",
                name_from=name_from,
                earlier=earlier,
                name_to=name_to,
                later=later,
            ),
            field=name_from,
        )

"""Refusals of stored fields: a parser's refusal repeated for the field that holds the
value, cut short, and never repeating personal data."""

from __future__ import annotations

import re

from domain.errors import InvalidFieldError, LedgerError
from domain.messages import Shortened, Text

MESSAGE_LENGTH = 200
"""The most of a parser's message an ingest error repeats (it may quote the value)."""
_PERSONAL = re.compile(r"\b(phone|id_number)\b")


class refusing:  # noqa: N801 (used as a function: ``with refusing(field):``)
    """Any refusal inside names ``field``; personal data is never repeated."""

    __slots__ = ("field",)

    def __init__(self, field: str) -> None:
        self.field = field

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, _: object) -> None:
        if isinstance(error, LedgerError):
            raise refusal(error, self.field) from None


def refusal(error: LedgerError, field: str) -> InvalidFieldError:
    """A parser's refusal, naming ``field``, cut short; personal data never shown."""
    if "responsible_person" in field or _PERSONAL.search(error.field or ""):
        inner = error.field if error.field and "." in error.field else field
        return InvalidFieldError(
            Text("{field} is malformed (personal data is not shown)", field=inner),
            field=inner,
        )
    text = error.text
    if not error.message.startswith(field):
        text = Text("{field}: {problem}", field=field, problem=text)
    return InvalidFieldError(Shortened(text, MESSAGE_LENGTH), field=field)

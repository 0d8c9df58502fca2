"""Messages for people: an English template with named values, translated where shown.

The ledger speaks English in its templates and never chooses a language itself: each
surface (CLI, HTTP, web) renders a ``Text`` with the translator of its reader's locale
(``infrastructure/i18n.py``). The templates are the catalogue's message ids, extracted
from the code by Babel (keyword ``Text``; ``docs/translating.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def untranslated(template: str) -> str:
    """The identity translator: English, the templates' own language."""
    return template


class Text:
    """A message to show: ``template`` (``str.format`` fields, named) and values."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, /, **values: object) -> None:
        self.template = template
        self.values = values

    def render(self, translate: Callable[[str], str] = untranslated) -> str:
        """The message in the translator's language (values that are ``Text`` too)."""
        values = {
            name: value.render(translate) if isinstance(value, Text) else value
            for name, value in self.values.items()
        }
        return translate(self.template).format(**values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Text({self.template!r}, **{self.values!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.template, self.values) == (
            other.template,
            other.values,
        )

    def __hash__(self) -> int:
        return hash(self.template)


class Shortened(Text):
    """A message cut to ``limit`` characters in whichever language it is shown: one
    that repeats another's may quote a value of any length."""

    __slots__ = ("limit",)

    def __init__(self, text: Text, limit: int) -> None:
        super().__init__(text.template, **text.values)
        self.limit = limit

    def render(self, translate: Callable[[str], str] = untranslated) -> str:
        """The message in the translator's language, at most ``limit`` characters."""
        shown = super().render(translate)
        return shown if len(shown) <= self.limit else shown[: self.limit] + "…"


def N_(template: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Mark a constant template for extraction; it is translated where shown."""
    return template

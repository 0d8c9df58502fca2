"""Messages for people: an English template with named values, translated where shown.

The ledger speaks English in its templates and never chooses a language itself: each
surface (CLI, HTTP, web) renders a ``Text`` with the translator of its reader's locale
(``infrastructure/i18n.py``). The templates are the catalogue's message ids, extracted
from the code by Babel (keyword ``Text``; ``docs/translating.md``).
"""

from __future__ import annotations

import string
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


def text_data(text: Text) -> dict[str, object]:
    """``text`` as JSON-ready data, to be kept and shown later in any language."""
    values = {
        name: text_data(value) if isinstance(value, Text) else value
        for name, value in text.values.items()
    }
    return {"template": text.template, "values": values}


def text_of_data(data: object, depth: int = 2) -> Text | None:
    """The ``Text`` that ``text_data`` gave, or None when ``data`` is not one that
    renders safely (it was kept by hand, or before messages were kept this way).

    Kept data may have been edited by whoever can write the store, so only plain
    ``{name}`` fields are taken (no format spec, conversion, attribute or index: a
    spec like ``{a:>999999999}`` would build gigabytes), values are text or whole
    numbers of bounded size, and a message nests at most ``depth`` deep."""
    if depth < 1 or not isinstance(data, dict) or set(data) != {"template", "values"}:
        return None
    template, values = data["template"], data["values"]
    if not _plain_template(template) or not isinstance(values, dict):
        return None
    if len(values) > KEPT_FIELDS:
        return None
    kept: dict[str, object] = {}
    for name, value in values.items():
        taken = _kept_value(value, depth)
        if taken is None and value is not None:
            return None
        kept[name] = taken
    text = Text(str(template), **kept)
    try:
        text.render()
    except (KeyError, IndexError, ValueError):
        return None
    return text


KEPT_LENGTH = 1000
"""The longest template or text value a kept message may hold."""
KEPT_FIELDS = 12
"""The most values a kept message may hold."""


def _plain_template(template: object) -> bool:
    if not isinstance(template, str) or len(template) > KEPT_LENGTH:
        return False
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return False
    return len(fields) <= KEPT_FIELDS + 1 and all(
        name is None or (name.isidentifier() and not spec and conversion is None)
        for _, name, spec, conversion in fields
    )


def _kept_value(value: object, depth: int) -> object:
    if isinstance(value, dict):
        return text_of_data(value, depth - 1)
    if isinstance(value, str) and len(value) <= KEPT_LENGTH:
        return value
    if type(value) is int and abs(value) < 10**18:
        return value
    return None

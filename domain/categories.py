"""The civil-affairs categories of community social organizations, read from data.

A filing names its category as the clerk wrote it; the vocabulary
(``domain/data/categories.json``: names and synonyms) tells a known category from
one to check. An unknown category is recorded, with a warning, never refused: local
offices use categories the vocabulary may not have yet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from domain.messages import Text

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class Category:
    """One category of the vocabulary: its name and what else clerks call it."""

    name: str
    english: str
    synonyms: tuple[str, ...]
    examples: str


@cache
def shipped_categories() -> tuple[Category, ...]:
    """The categories shipped with the product, in the vocabulary's order."""
    path = resources.files("domain") / "data" / "categories.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Category(
            name=entry["name"],
            english=entry["english"],
            synonyms=tuple(entry["synonyms"]),
            examples=entry["examples"],
        )
        for entry in raw["categories"]
    )


@cache
def _names() -> dict[str, str]:
    """Every name and synonym -> the vocabulary's name."""
    found: dict[str, str] = {}
    for category in shipped_categories():
        for name in (category.name, *category.synonyms):
            found[name] = category.name
    return found


def canonical(category: str) -> str | None:
    """The vocabulary's name of ``category`` (its own or a synonym's); None when
    the vocabulary does not know it."""
    return _names().get(category)


def category_warnings(category: str) -> tuple[Text, ...]:
    """A warning for a category the vocabulary does not know; none otherwise."""
    if canonical(category) is not None:
        return ()
    known = "/".join(c.name for c in shipped_categories())
    return (
        Text(
            'category "{category}" is not one of the civil-affairs categories '
            "({known}); it was recorded as given: check it, and correct the filing "
            "(FactCorrected) if it is a mistake",
            category=category,
            known=known,
        ),
    )


def categories_of(payload: Mapping[str, object]) -> tuple[str, ...]:
    """The categories a fact's payload names: a filing's own, or a correction's."""
    found = payload.get("category")
    replacement = payload.get("replacement")
    if isinstance(replacement, dict):
        found = replacement.get("category", found)
    return (found,) if isinstance(found, str) else ()

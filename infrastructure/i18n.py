"""Translations: the reader's locale, and the catalogue that speaks it.

Catalogues are gettext ``.po`` files in ``infrastructure/locale/<locale>/LC_MESSAGES``,
one per part of the product (errors, cli, …), read with Babel when first needed. A
message without a translation is shown in English, and fails a test
(``tests/infrastructure/test_i18n.py``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.pofile import read_po

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

LOCALES = Path(__file__).parent / "locale"
CHINESE, ENGLISH = "zh_CN", "en"
_QUALITY = re.compile(r"^\s*q\s*=\s*([0-9.]+)\s*$")


@functools.cache
def catalogue(locale: str) -> dict[str, str]:
    """Every translated message of ``locale``: template → translation."""
    found: dict[str, str] = {}
    for path in sorted((LOCALES / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as po:
            for message in read_po(po, locale=locale):
                if message.id and message.string and not message.fuzzy:
                    found[str(message.id)] = str(message.string)
    return found


def translator(locale: str) -> Callable[[str], str]:
    """A function giving a template's translation in ``locale`` (English: itself)."""
    if locale == ENGLISH:
        return _same
    known = catalogue(locale)
    return lambda template: known.get(template, template)


def _same(template: str) -> str:
    return template


def language_tag(locale: str) -> str:
    """The language tag of a locale, as ``Content-Language`` and ``Accept-Language``
    write it."""
    return "zh-CN" if locale == CHINESE else "en"


def locale_from_env(environ: Mapping[str, str]) -> str:
    """The locale a shell asks for: ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES`` then
    ``LANG``, as gettext reads them; Chinese for any ``zh…``, English otherwise."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            first = value.split(":")[0]
            return CHINESE if first.lower().startswith("zh") else ENGLISH
    return ENGLISH


def locale_from_accept_language(header: str | None, default: str = ENGLISH) -> str:
    """The locale an ``Accept-Language`` header prefers (RFC 9110 §12.5.4):
    Chinese or English, whichever ranks higher; ``default`` when it names neither."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = _QUALITY.match(params) if params else None
        try:  # a malformed weight counts as a refusal, not a preference
            q = float(quality.group(1)) if quality else (0.0 if params else 1.0)
        except ValueError:
            q = 0.0
        language = tag.strip().lower()
        if q > 0 and language.startswith("zh"):
            ranked.append((q, -position, CHINESE))
        elif q > 0 and language.startswith("en"):
            ranked.append((q, -position, ENGLISH))
    return max(ranked)[2] if ranked else default

"""Text a clerk types: names and notes, and the identifiers facts are keyed by.

What a reader sees must be all the text holds. Invisible and format characters
(zero-width spaces, bidirectional overrides, tag characters, soft hyphens), controls,
noncharacters, lone surrogates and private-use characters are refused, naming the code
point. Identifiers are folded besides (NFKC: full-width letters, digits and hyphens
become ASCII) so that a look-alike of a filing number is that filing number.
"""

from __future__ import annotations

import unicodedata

from domain.errors import InvalidFieldError, excerpt
from domain.messages import Text

_KINDS = {
    "Cc": Text("control character"),
    "Cf": Text("invisible format character"),
    "Cs": Text("lone surrogate"),
    "Co": Text("private-use character"),
    "Zl": Text("line separator"),
    "Zp": Text("paragraph separator"),
}
"""Unicode categories refused in text, and what a message calls them."""
_ALLOWED_CONTROLS = frozenset("\t\n")


def parse_text(
    value: object, field: str, *, max_len: int = 200, required: bool = True
) -> str:
    """Trimmed NFC text holding only characters a reader can see (and spaces)."""
    if not isinstance(value, str):
        raise InvalidFieldError(
            Text(
                "{field} must be text, got {value}", field=field, value=excerpt(value)
            ),
            field=field,
        )
    text = value.strip()
    if not text.isascii():  # ASCII is NFC already
        text = unicodedata.normalize("NFC", text)
    if required and not text:
        raise InvalidFieldError(
            Text("{field} must not be empty", field=field), field=field
        )
    if len(text) > max_len:
        raise InvalidFieldError(
            Text(
                "{field} is {length} characters long; at most {max_len} allowed",
                field=field,
                length=len(text),
                max_len=max_len,
            ),
            field=field,
        )
    # Printable text holds no refused character; only the rest is scanned.
    if not text.isprintable():
        _refuse_hidden(text, field)
    return text


def parse_identifier(value: object, field: str, *, max_len: int = 64) -> str:
    """A filing number, period or reference: text folded by NFKC, with no spaces
    and no digits but ASCII ones, so look-alikes name the same thing."""
    text = fold_identifier(parse_text(value, field, max_len=max_len))
    for position, char in enumerate(text, start=1):
        if char.isspace():
            raise InvalidFieldError(
                Text(
                    "{field} {value} contains a space at position {position}; "
                    "identifiers have none",
                    field=field,
                    value=excerpt(text, 40),
                    position=position,
                ),
                field=field,
            )
        if char.isdigit() and not char.isascii():
            raise InvalidFieldError(
                Text(
                    "{field} {value} contains the digit {digit} (U+{point}) at "
                    "position {position}; use 0-9",
                    field=field,
                    value=excerpt(text, 40),
                    digit=repr(char),
                    point=_code_point(char),
                    position=position,
                ),
                field=field,
            )
    return text


def fold_identifier(text: str) -> str:
    """An identifier as it is kept: NFKC, so full-width letters, digits and hyphens
    become ASCII and a look-alike names the same thing."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _refuse_hidden(text: str, field: str) -> None:
    for position, char in enumerate(text, start=1):
        kind = _hidden_kind(char)
        if kind:
            name = unicodedata.name(char, "")
            raise InvalidFieldError(
                Text(
                    "{field} contains the {kind} U+{point}{name} at position "
                    "{position}; remove it",
                    field=field,
                    kind=kind,
                    point=_code_point(char),
                    name=" " + name if name else "",
                    position=position,
                ),
                field=field,
            )


def _code_point(char: str) -> str:
    """A character's code point as U+ notation writes it, without the U+."""
    return f"{ord(char):04X}"


def _hidden_kind(char: str) -> Text | None:
    """What makes a character unfit for text a person reads, or None."""
    if char in _ALLOWED_CONTROLS:
        return None
    kind = _KINDS.get(unicodedata.category(char))
    if kind:
        return kind
    if _is_noncharacter(ord(char)):
        return Text("noncharacter")
    return None  # unassigned code points pass: a newer Unicode may name them (生僻字)


def _is_noncharacter(point: int) -> bool:
    return 0xFDD0 <= point <= 0xFDEF or point & 0xFFFE == 0xFFFE

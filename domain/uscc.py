"""Unified Social Credit Codes (GB 32100-2015) of registered organizations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.errors import InvalidUsccError
from domain.messages import Text

if TYPE_CHECKING:
    import random

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {ch: i for i, ch in enumerate(CHARSET)}
_WEIGHTS_18 = [pow(3, i, 31) for i in range(17)]
_WEIGHTS_17 = [3, 7, 9, 10, 5, 8, 4, 2]
CIVIL_AFFAIRS = "5"
CATEGORIES = {
    "1": "social_group",
    "2": "social_service_institution",
    "3": "foundation",
    "9": "other",
}


def check_character(first17: str) -> str:
    """The position-18 check character for the first 17 characters."""
    total = sum(_VALUES[ch] * w for ch, w in zip(first17, _WEIGHTS_18, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def make_uscc(rng: random.Random, category: str, division: str = "330211") -> str:
    """A valid civil-affairs USCC (both check characters right), drawn from ``rng``:
    for examples, tests and generated districts."""
    body = "MJ" + "".join(rng.choice("0123456789") for _ in range(6))
    first17 = "5" + category + division + body + organization_code_check(body)
    return first17 + check_character(first17)


def organization_code_check(body8: str) -> str:
    """The GB 11714 check character (position 17) for the 8-character body."""
    total = sum(_org_value(ch) * w for ch, w in zip(body8, _WEIGHTS_17, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


@dataclass(frozen=True)
class Uscc:
    """A validated USCC; ``warnings`` lists tolerated defects (position 17), as
    messages shown to the clerk in their language (never stored)."""

    value: str
    warnings: tuple[Text, ...] = ()

    @classmethod
    def parse(cls, text: object) -> Uscc:
        """Validate an 18-character code; a wrong position-18 check is an error."""
        if not isinstance(text, str):
            raise InvalidUsccError(
                Text("USCC must be a string: {value}", value=repr(text))
            )
        code = text.strip().upper()
        if len(code) != 18:
            raise InvalidUsccError(
                Text(
                    "USCC {uscc} has {count} characters; expected 18",
                    uscc=repr(text),
                    count=len(code),
                )
            )
        for position, ch in enumerate(code, start=1):
            if ch not in _VALUES:
                raise InvalidUsccError(
                    Text(
                        "USCC {uscc}: character {character} at position {position} "
                        "is not allowed (use {charset}; no I, O, S, V, Z)",
                        uscc=repr(text),
                        character=repr(ch),
                        position=position,
                        charset=CHARSET,
                    )
                )
        if not code[2:8].isdigit():
            raise InvalidUsccError(
                Text(
                    "USCC {uscc}: positions 3-8 must be the registering "
                    "division's digits",
                    uscc=repr(text),
                )
            )
        expected = check_character(code[:17])
        if code[17] != expected:
            raise InvalidUsccError(
                Text(
                    "USCC {uscc}: check character should be {expected}, not {found}",
                    uscc=repr(text),
                    expected=expected,
                    found=code[17],
                )
            )
        return cls(code, _position_17_warnings(code))

    @property
    def is_civil_affairs(self) -> bool:
        """Registered by civil affairs (position 1 is 5)."""
        return self.value[0] == CIVIL_AFFAIRS

    @property
    def category(self) -> str | None:
        """Legal form the code's position 2 names, for civil-affairs codes."""
        return CATEGORIES.get(self.value[1]) if self.is_civil_affairs else None

    @property
    def authority(self) -> str:
        """Division code of the registering authority (positions 3-8)."""
        return self.value[2:8]

    def __str__(self) -> str:
        return self.value


def _position_17_warnings(code: str) -> tuple[Text, ...]:
    body = code[8:16]
    expected = organization_code_check(body)
    if code[16] == expected:
        return ()
    return (
        Text(
            "USCC {uscc}: organization-code check (position 17) should be "
            "{expected}, not {found}; accepted because some early pilot codes fail it",
            uscc=code,
            expected=expected,
            found=code[16],
        ),
    )

"""Citizen ID numbers (GB 11643-1999) of responsible persons: personal data.

An ID number is 17 digits — a division code (6), a date of birth (8), a sequence
number (3) — and a check character (0-9 or X). A refusal says which check failed,
never the number: messages may end up in logs.
"""

from __future__ import annotations

from datetime import date

from domain.errors import InvalidIdNumberError
from domain.messages import Text
from domain.values import today_in_china

LENGTH = 18
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
"""Weight of each of the first 17 digits: 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, …"""
CHECK_CHARACTERS = "10X98765432"
"""The check character for each remainder of the weighted sum modulo 11."""
PROVINCES = frozenset(
    map(
        str,
        (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44,
         45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83),
    )
)  # fmt: skip
"""Province-level divisions (GB/T 2260) that begin a number; 81-83 are Hong Kong,
Macao and Taiwan residents' residence permits. The rest of the division code is not
checked: a number keeps the county where it was first issued, abolished ones too."""
EARLIEST_BIRTH = date(1900, 1, 1)


def check_character(first17: str) -> str:
    """The check character (position 18) of 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def parse_id_number(text: str, field: str) -> str:
    """An 18-character ID number whose division, date of birth and check character
    hold; a lower-case x is taken for X."""
    number = text.upper()
    _check_form(number, field)
    if number[:2] not in PROVINCES:
        raise InvalidIdNumberError(
            Text(
                "{field}: digits 1-2 name no province-level division; "
                "check the ID number",
                field=field,
            ),
            field=field,
        )
    if _birth_date(number[6:14]) is None:
        raise InvalidIdNumberError(
            Text(
                "{field}: digits 7-14 are not a possible date of birth "
                "(YYYYMMDD, from 1900 to today); check the ID number",
                field=field,
            ),
            field=field,
        )
    if number[17] != check_character(number[:17]):
        raise InvalidIdNumberError(
            Text(
                "{field}: the check character (GB 11643) does not match the first "
                "17 digits; a digit is probably mistyped",
                field=field,
            ),
            field=field,
        )
    return number


def _check_form(number: str, field: str) -> None:
    if len(number) != LENGTH:
        raise InvalidIdNumberError(
            Text(
                "{field} has {count} characters; an ID number has 18: 17 digits "
                "and a check character (0-9 or X)",
                field=field,
                count=len(number),
            ),
            field=field,
        )
    body, check = number[:17], number[17]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        raise InvalidIdNumberError(
            Text(
                "{field}: an ID number is 17 digits and a check character (0-9 or X)",
                field=field,
            ),
            field=field,
        )


def _birth_date(digits: str) -> date | None:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None
    return born if EARLIEST_BIRTH <= born <= today_in_china() else None

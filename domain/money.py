"""Money in integer fen (分). Yuan decimal strings are accepted at the edges only."""

from __future__ import annotations

import re

from domain.errors import InvalidAmountError, excerpt

_YUAN = re.compile(r"(?P<whole>[0-9]{1,12})(?:\.(?P<frac>[0-9]{1,2}))?")
FUNDING_SOURCES = ("lottery", "district", "street", "community", "social")
"""The "1+3+X" sources: welfare-lottery fund, three tiers' budgets, social money."""
MAX_FEN = 10**14  # a trillion yuan: far beyond any subsidy, far inside int64


def parse_fen(value: object, field: str) -> int:
    """An amount given as integer fen (never a float or bool)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAmountError(
            f"{field} must be an integer number of fen, got {excerpt(value)}",
            field=field,
        )
    return _check_range(value, field, excerpt(value))


def parse_yuan(value: object, field: str) -> int:
    """A yuan decimal string such as "3500" or "3500.50", converted to fen."""
    if not isinstance(value, str):
        raise InvalidAmountError(
            f'{field} must be a yuan decimal string like "3500.00" '
            f"(got {excerpt(value)}); floats are never accepted for money",
            field=field,
        )
    text = value.strip()
    if text.startswith("-"):
        raise InvalidAmountError(f"{field} {value!r} is negative", field=field)
    match = _YUAN.fullmatch(text)
    if match is None:
        raise InvalidAmountError(
            f"{field} {value!r} is not a yuan amount with at most two decimals "
            f"(ASCII digits 0-9 only; no exponents, no separators)",
            field=field,
        )
    fen = int(match["whole"]) * 100 + int((match["frac"] or "").ljust(2, "0"))
    return _check_range(fen, field, value)


def _check_range(fen: int, field: str, shown: str) -> int:
    if fen < 0:
        raise InvalidAmountError(f"{field} {shown} is negative", field=field)
    if fen > MAX_FEN:
        raise InvalidAmountError(f"{field} {shown} is implausibly large", field=field)
    return fen


def format_yuan(fen: int) -> str:
    """Fen as a yuan string with two decimals, e.g. 350000 -> "3500.00"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"

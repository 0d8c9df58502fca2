"""Money in integer fen (分). Yuan decimal strings are accepted at the edges only."""

from __future__ import annotations

import re

from domain.errors import InvalidAmountError, excerpt
from domain.messages import Text

_YUAN = re.compile(r"(?P<whole>[0-9]{1,12})(?:\.(?P<frac>[0-9]{1,2}))?")
FUNDING_SOURCES = ("lottery", "district", "street", "community", "social")
"""The "1+3+X" sources: welfare-lottery fund, three tiers' budgets, social money."""
MAX_FEN = 10**14  # a trillion yuan: far beyond any subsidy, far inside int64


def parse_fen(value: object, field: str) -> int:
    """An amount given as integer fen (never a float or bool)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAmountError(
            Text(
                "{field} must be an integer number of fen, got {value}",
                field=field,
                value=excerpt(value),
            ),
            field=field,
        )
    return _check_range(value, field, excerpt(value))


def parse_yuan(value: object, field: str) -> int:
    """A yuan decimal string such as "3500" or "3500.50", converted to fen."""
    if not isinstance(value, str):
        raise InvalidAmountError(
            Text(
                '{field} must be a yuan decimal string like "3500.00" (got {value}); '
                "floats are never accepted for money",
                field=field,
                value=excerpt(value),
            ),
            field=field,
        )
    text = value.strip()
    if text.startswith("-"):
        raise InvalidAmountError(
            Text("{field} {value} is negative", field=field, value=repr(value)),
            field=field,
        )
    match = _YUAN.fullmatch(text)
    if match is None:
        raise InvalidAmountError(
            Text(
                "{field} {value} is not a yuan amount with at most two decimals "
                "(ASCII digits 0-9 only; no exponents, no separators)",
                field=field,
                value=repr(value),
            ),
            field=field,
        )
    fen = int(match["whole"]) * 100 + int((match["frac"] or "").ljust(2, "0"))
    return _check_range(fen, field, value)


def _check_range(fen: int, field: str, shown: str) -> int:
    if fen < 0:
        raise InvalidAmountError(
            Text("{field} {value} is negative", field=field, value=shown),
            field=field,
        )
    if fen > MAX_FEN:
        raise InvalidAmountError(
            Text("{field} {value} is implausibly large", field=field, value=shown),
            field=field,
        )
    return fen


def format_yuan(fen: int) -> str:
    """Fen as a yuan string with two decimals, e.g. 350000 -> "3500.00"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"

"""Cells as registers hold them, turned into a fact's input values.

A cell is what the reader gives: text (every CSV cell), a number (Excel keeps every
number as a double), a date or date-time (cells Excel formats as dates), a boolean,
or ``NoValue`` for a formula saved without its result. Each converter returns the
input value, or None for an empty cell, or raises an error naming the field.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from domain.errors import (
    InvalidAmountError,
    InvalidDateError,
    InvalidFieldError,
    LedgerError,
    excerpt,
)
from domain.messages import Text


class NoValue:
    """A formula cell saved without its result (a file written by a program that
    never calculated it): its value is unknown."""

    __slots__ = ("formula",)

    def __init__(self, formula: str) -> None:
        self.formula = formula

    def __repr__(self) -> str:
        return f"NoValue({self.formula!r})"


Cell = str | float | int | bool | date | datetime | time | timedelta | NoValue | None
"""A cell as a reader gives it."""

EXCEL_EPOCH = date(1899, 12, 30)
"""Day 0 of Excel's 1900 date system (its serial numbers count days from here)."""
EXCEL_DIGITS = 15
"""Excel shows and keeps numbers to 15 significant digits."""
_PLACEHOLDERS = frozenset({"-", "—", "–", "/", "无"})
"""What clerks write in a money or count cell that has none."""
_DATE = re.compile(
    r"(?P<y>[0-9]{4})(?:(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})"
    r"|年(?P<m2>[0-9]{1,2})月(?P<d2>[0-9]{1,2})[日号]?"
    r"|(?P<m3>[0-9]{2})(?P<d3>[0-9]{2}))"
    r"(?:\s+0?0:00(?::00)?)?"
)
_YUAN = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,15})(?:\.[0-9]{1,12})?")
_COUNT = re.compile(r"[0-9]{1,9}")


def is_empty(value: Cell) -> bool:
    """True for a cell with nothing in it (spaces are nothing)."""
    return value is None or (isinstance(value, str) and not value.strip())


def shown(value: Cell) -> str:
    """A cell as a person sees it (a formula without result as its formula)."""
    if isinstance(value, NoValue):
        return value.formula
    try:
        return to_text(value, "") or ""
    except LedgerError:  # a number beyond what Excel keeps: shown as Excel shows it
        return format(value, "g") if isinstance(value, float) else ""


def to_text(value: Cell, field: str) -> str | None:
    """Text as the cell shows it: a whole number without ``.0``, a date in ISO."""
    if isinstance(value, str):
        return value if value.strip() else None
    if value is None:
        return None
    if isinstance(value, NoValue):
        raise no_value(value, field)
    if isinstance(value, float):
        return _number_text(value, field)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number_text(value: float, field: str) -> str:
    if not math.isfinite(value):
        raise InvalidFieldError(
            Text("{field} holds no number Excel can show", field=field), field=field
        )
    if value.is_integer():
        if abs(value) >= 10**EXCEL_DIGITS:
            raise InvalidFieldError(
                Text(
                    "{field} holds a number of {digits} digits, and Excel keeps 15 "
                    "only (an ID number or a code typed as a number loses its last "
                    "digits): format the column as text and type it again",
                    field=field,
                    digits=len(str(int(abs(value)))),
                ),
                field=field,
            )
        return str(int(value))
    return format(value, f".{EXCEL_DIGITS}g")


def to_date(value: Cell, field: str) -> str | None:
    """An ISO date from a date cell, an Excel day number, ``20240301``, or text as
    ``2024-03-01``, ``2024/3/1``, ``2024.3.1`` or ``2024年3月1日``."""
    if isinstance(value, datetime):
        return value.date().isoformat()  # a time of day says nothing of the date
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, NoValue):
        raise no_value(value, field)
    if value is None:
        return None
    if isinstance(value, str):
        return _text_date(value, field) if value.strip() else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_date(float(value), field)
    raise _not_a_date(value, field)


def _serial_date(value: float, field: str) -> str:
    if value.is_integer() and 19000101 <= value <= 29991231:
        return _text_date(str(int(value)), field)  # 20240301 typed as a number
    if math.isfinite(value) and 1 <= value < 2958466:  # Excel's 1900-01-01..9999-12-31
        return (EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
    raise _not_a_date(value, field)


def _text_date(value: str, field: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip()
    match = _DATE.fullmatch(text)
    if match is None:
        raise _not_a_date(value, field)
    month = match["m"] or match["m2"] or match["m3"]
    day = match["d"] or match["d2"] or match["d3"]
    try:
        return date(int(match["y"]), int(month), int(day)).isoformat()
    except ValueError:
        raise InvalidDateError(
            Text(
                "{field} {value} is not a real date", field=field, value=excerpt(value)
            ),
            field=field,
        ) from None


def _not_a_date(value: Cell, field: str) -> InvalidDateError:
    return InvalidDateError(
        Text(
            "{field} {value} is not a date: write it as 2024-03-01, 2024/3/1, "
            "2024.3.1 or 2024年3月1日, or format the cell as a date",
            field=field,
            value=excerpt(value),
        ),
        field=field,
    )


def to_fen(value: Cell, field: str) -> int | None:
    """Yuan as a number or as text (¥, 元 and thousands separators allowed),
    converted exactly to fen: an amount with fractions of a fen is refused."""
    if isinstance(value, bool | date | time | timedelta):
        raise _not_money(value, field)
    if isinstance(value, NoValue):
        raise no_value(value, field)
    if isinstance(value, int):
        yuan = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _not_money(value, field)
        yuan = Decimal(format(value, f".{EXCEL_DIGITS}g"))
    elif value is None or value.strip() in _PLACEHOLDERS or not value.strip():
        return None
    else:
        yuan = _text_yuan(value, field)
    if yuan < 0:
        raise InvalidAmountError(
            Text("{field} {value} is negative", field=field, value=excerpt(value)),
            field=field,
        )
    fen = yuan * 100
    if fen != fen.to_integral_value():
        raise InvalidAmountError(
            Text(
                "{field} {value} has fractions of a fen: amounts are kept to the fen "
                "(two decimals) and never rounded",
                field=field,
                value=excerpt(value),
            ),
            field=field,
        )
    return int(fen)


def _text_yuan(value: str, field: str) -> Decimal:
    text = unicodedata.normalize("NFKC", value).strip()
    text = text.removeprefix("¥").removesuffix("元").strip()
    negative = text.startswith("-")
    match = _YUAN.fullmatch(text.removeprefix("-").strip())
    if match is None:
        raise _not_money(value, field)
    amount = Decimal(match[0].replace(",", ""))
    return -amount if negative else amount


def _not_money(value: Cell, field: str) -> InvalidAmountError:
    return InvalidAmountError(
        Text(
            "{field} {value} is not an amount of yuan: write it as a number, "
            "e.g. 3500, 3,500.00 or ¥3,500.50",
            field=field,
            value=excerpt(value),
        ),
        field=field,
    )


def to_count(value: Cell, field: str) -> int | None:
    """A whole number (``12`` or ``12人`` as text)."""
    if isinstance(value, NoValue):
        raise no_value(value, field)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**9:
        return int(value)
    if value is None or (isinstance(value, str) and value.strip() in _PLACEHOLDERS):
        return None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().rstrip("人名个")
        if not text:
            return None
        if _COUNT.fullmatch(text):
            return int(text)
    raise InvalidFieldError(
        Text(
            "{field} {value} is not a whole number", field=field, value=excerpt(value)
        ),
        field=field,
    )


def no_value(value: NoValue, field: str) -> InvalidFieldError:
    """The error of a formula cell whose result was never saved."""
    return InvalidFieldError(
        Text(
            "{field} holds the formula {formula} without its result: open the file "
            "in Excel or WPS and save it again, so that the results are stored",
            field=field,
            formula=excerpt(value.formula, 40),
        ),
        field=field,
    )

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidAmountError
from domain.money import format_yuan, parse_fen, parse_yuan


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("3500", 350000),
        ("3500.5", 350050),
        ("3500.05", 350005),
        ("0", 0),
        (" 12.30 ", 1230),
    ],
)
def test_yuan_strings_become_fen(text: str, fen: int) -> None:
    assert parse_yuan(text, "amount") == fen


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "negative"),
        ("1e3", "no exponents"),
        ("0.001", "at most two decimals"),
        ("1,000", "no exponents"),
        ("", "not a yuan amount"),
        (1000.0, "floats are never"),
        (1000, "yuan decimal string"),
        ("¥100", "not a yuan amount"),
    ],
)
def test_rejects_bad_yuan(value: object, message: str) -> None:
    with pytest.raises(InvalidAmountError, match=message):
        parse_yuan(value, "amount")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "negative"),
        (1.5, "integer number of fen"),
        (True, "integer number of fen"),
        ("100", "integer number of fen"),
        (10**15, "implausibly large"),
    ],
)
def test_rejects_bad_fen(value: object, message: str) -> None:
    with pytest.raises(InvalidAmountError, match=message):
        parse_fen(value, "amount_fen")


@given(st.integers(0, 10**13))
def test_format_and_parse_round_trip(fen: int) -> None:
    assert parse_yuan(format_yuan(fen), "amount") == fen

"""Cells as registers hold them become exact input values: every date form clerks
write, yuan as numbers or text converted exactly to fen, never rounded."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidAmountError, InvalidDateError, InvalidFieldError
from infrastructure.spreadsheets.cells import (
    Cell,
    NoValue,
    to_count,
    to_date,
    to_fen,
    to_text,
)

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))
fens = st.integers(min_value=0, max_value=10**13)


def yuan_forms(fen: int) -> list[str]:
    """The ways a register writes an amount of fen."""
    whole, cents = divmod(fen, 100)
    grouped = f"{whole:,}"
    return [
        f"{whole}.{cents:02d}",
        f"{grouped}.{cents:02d}",
        f"¥{grouped}.{cents:02d}",
        f"￥{grouped}.{cents:02d}元",
        f"{whole}.{cents:02d}0",
        *([f"{whole}", f"{grouped}元"] if cents == 0 else []),
        *([f"{whole}.{cents // 10}"] if cents % 10 == 0 else []),
    ]


@given(fens)
def test_yuan_text_in_every_form_is_the_same_fen(fen: int) -> None:
    assert {to_fen(text, "金额") for text in yuan_forms(fen)} == {fen}


@given(fens)
def test_excel_numbers_are_fen_exactly(fen: int) -> None:
    # What Excel stores for a cell showing 1234.56: the nearest double.
    assert to_fen(fen / 100, "金额") == fen


@given(fens, st.integers(min_value=1, max_value=9))
def test_fractions_of_a_fen_are_refused_never_rounded(fen: int, mill: int) -> None:
    whole, cents = divmod(fen, 100)
    with pytest.raises(InvalidAmountError, match="fractions of a fen"):
        to_fen(f"{whole}.{cents:02d}{mill}", "金额")


@pytest.mark.parametrize(
    ("cell", "fen"),
    [
        (3500, 350_000),
        (3500.5, 350_050),
        (0.1 + 0.2, 30),  # a sum Excel shows as 0.3
        (1234.5600000000002, 123_456),
        ("3,500.00", 350_000),
        ("¥3,500.50", 350_050),
        ("３５００", 350_000),  # full-width digits typed by an input method
        ("—", None),
        ("", None),
        (None, None),
    ],
)
def test_money_cells(cell: object, fen: int | None) -> None:
    assert to_fen(cell, "金额") == fen  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cell", ["3,50", "1e3", "3500.12.1", "三千五", True, date(2024, 1, 1), "35 00"]
)
def test_what_is_not_money_is_refused(cell: object) -> None:
    with pytest.raises(InvalidAmountError, match="金额"):
        to_fen(cell, "金额")  # type: ignore[arg-type]


def test_sub_fen_excel_numbers_and_negatives_are_refused() -> None:
    with pytest.raises(InvalidAmountError, match="fractions of a fen"):
        to_fen(3500.005, "金额")
    with pytest.raises(InvalidAmountError, match="negative"):
        to_fen("-3500", "金额")
    with pytest.raises(InvalidAmountError, match="negative"):
        to_fen(-1.0, "金额")


@given(days)
def test_every_written_form_of_a_date_is_that_date(day: date) -> None:
    forms: list[Cell] = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}-{day.month:02d}-{day.day:02d}",
        f"{day.year}{day.month:02d}{day.day:02d}",
        f"{day.year}/{day.month}/{day.day} 0:00",
        day,
        datetime(day.year, day.month, day.day, 9, 30),
        float((day - date(1899, 12, 30)).days),  # an Excel day number
        int(day.strftime("%Y%m%d")),  # 20240301 typed as a number
    ]
    assert {to_date(form, "备案日期") for form in forms} == {day.isoformat()}


@pytest.mark.parametrize("cell", ["2024/2/30", "2024-13-01", "2024年2月30日"])
def test_a_date_that_does_not_exist_is_refused(cell: str) -> None:
    with pytest.raises(InvalidDateError, match="not a real date"):
        to_date(cell, "备案日期")


@pytest.mark.parametrize("cell", ["三月一日", "2024-3/1", "01/03/2024", True, -5.0])
def test_what_is_not_a_date_is_refused_with_the_forms_accepted(cell: object) -> None:
    with pytest.raises(InvalidDateError, match="2024年3月1日"):
        to_date(cell, "备案日期")  # type: ignore[arg-type]


def test_numbers_read_as_text_as_excel_shows_them() -> None:
    assert to_text(13805741001.0, "联系电话") == "13805741001"
    assert to_text(2024001.0, "备案编号") == "2024001"
    assert to_text(12.5, "x") == "12.5"
    assert to_text(datetime(2024, 3, 1), "x") == "2024-03-01"
    assert to_text("  ", "x") is None


def test_a_long_code_typed_as_a_number_is_refused_digits_lost() -> None:
    # An 18-digit ID number typed into a number cell: Excel kept 15 digits.
    with pytest.raises(InvalidFieldError, match="18 digits"):
        to_text(330211199001011234.0, "身份证号")


def test_counts() -> None:
    assert to_count(12.0, "成员人数") == 12
    assert to_count("12人", "成员人数") == 12
    assert to_count("—", "成员人数") is None
    with pytest.raises(InvalidFieldError, match="whole number"):
        to_count(12.5, "成员人数")
    with pytest.raises(InvalidFieldError, match="whole number"):
        to_count("十二", "成员人数")


def test_a_formula_saved_without_its_result_is_an_error_naming_it() -> None:
    for convert in (to_text, to_date, to_fen, to_count):
        with pytest.raises(InvalidFieldError, match="SUM"):
            convert(NoValue("=SUM(E3:E20)"), "补助金额")


def test_an_excel_day_number_counts_from_1899_12_30() -> None:
    assert to_date(45352.0, "日期") == "2024-03-01"
    assert to_date(45352.75, "日期") == "2024-03-01"  # the time of day says nothing
    assert date(1899, 12, 30) + timedelta(days=45352) == date(2024, 3, 1)

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidUsccError
from domain.uscc import CHARSET, Uscc, check_character, make_uscc

REAL_CODES = [
    "53330200MJ8959573D",
    "51100000500002862F",
    "53100000500021676K",
    "52420000MJH23339XT",
    "51420000MJH200395N",
]


def test_standard_worked_example() -> None:
    assert check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_civil_affairs_codes_are_valid(code: str) -> None:
    assert Uscc.parse(code).value == code


def test_wrong_check_character_names_the_expected_one() -> None:
    with pytest.raises(InvalidUsccError, match="check character should be F"):
        Uscc.parse("51100000500002862A")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("5110000050000286", "has 16 characters"),
        ("51100000500002862I", "character 'I' at position 18"),
        ("5110000O500002862F", "character 'O' at position 8"),
        ("51AB0000500002862F", "positions 3-8"),
    ],
)
def test_rejects_malformed_codes(code: str, message: str) -> None:
    with pytest.raises(InvalidUsccError, match=message):
        Uscc.parse(code)


def test_bad_organization_code_check_is_only_a_warning() -> None:
    first17 = "51330211MJ1234560"  # position 17 should be something else
    code = Uscc.parse(first17 + check_character(first17))
    assert code.warnings
    assert "position 17" in code.warnings[0].render()


def test_category_and_authority() -> None:
    code = Uscc.parse("53330200MJ8959573D")
    assert code.category == "foundation"
    assert code.authority == "330200"


@given(
    st.integers(0, 10**6),
    st.sampled_from("123"),
    st.integers(0, 16),
    st.sampled_from(CHARSET),
)
def test_any_single_character_change_is_detected(
    seed: int, category: str, position: int, replacement: str
) -> None:
    code = make_uscc(random.Random(seed), category)
    assert Uscc.parse(code).warnings == ()
    altered = code[:position] + replacement + code[position + 1 :]
    if altered == code or (2 <= position < 8 and not replacement.isdigit()):
        return
    with pytest.raises(InvalidUsccError):
        Uscc.parse(altered)

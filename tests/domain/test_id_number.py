"""ID numbers of responsible persons (GB 11643-1999): checked, never shown."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidFieldError, InvalidIdNumberError
from domain.id_number import CHECK_CHARACTERS, PROVINCES, check_character
from domain.identity import org_id_for_filing
from domain.inputs import person
from domain.stored_check import check_stored_payload
from domain.values import today_in_china
from tests import factories

if TYPE_CHECKING:
    from infrastructure.stores import Store

FIELD = "responsible_person"
STANDARD_EXAMPLE = "11010519491231002X"
"""The worked example of GB 11643-1999, annex."""


@st.composite
def first17(draw: st.DrawFn) -> str:
    """17 digits of a possible person: a province, a date of birth, a sequence."""
    province = draw(st.sampled_from(sorted(PROVINCES)))
    county = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    born = draw(st.dates(date(1900, 1, 1), today_in_china()))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    return f"{province}{county}{born:%Y%m%d}{sequence}"


def id_number_of(number: str) -> str:
    """The ID number ``person`` keeps, or the check that refused it, raised."""
    return person({"name": "王秀英", "id_number": number}, FIELD)["id_number"]


def refusal(number: str) -> InvalidIdNumberError:
    with pytest.raises(InvalidIdNumberError) as caught:
        id_number_of(number)
    error = caught.value
    assert error.field == f"{FIELD}.id_number"
    assert number not in error.message  # personal data is never shown
    assert number[:17] not in error.message
    return error


def test_the_standards_worked_example_is_accepted() -> None:
    assert check_character(STANDARD_EXAMPLE[:17]) == "X"
    assert id_number_of(STANDARD_EXAMPLE) == STANDARD_EXAMPLE


@given(st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_the_check_character_completes_the_weighted_sum_to_1_mod_11(
    digits: str,
) -> None:
    # GB 11643's defining property: over all 18 positions, weights 2^(18-i) mod 11
    # (the last one 1) and X worth 10, the sum is 1 modulo 11.
    check = check_character(digits)
    value = 10 if check == "X" else int(check)
    weights = [pow(2, 18 - i, 11) for i in range(1, 19)]
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False))
    assert (total + value * weights[-1]) % 11 == 1


@given(first17())
def test_17_digits_and_their_computed_check_character_are_accepted(
    digits: str,
) -> None:
    number = digits + check_character(digits)
    assert id_number_of(number) == number
    assert id_number_of(number.lower()) == number  # a lower-case x is an X


@given(first17(), st.sampled_from(CHECK_CHARACTERS))
def test_any_other_check_character_is_refused(digits: str, check: str) -> None:
    if check == check_character(digits):
        return  # the one right character: accepted above
    error = refusal(digits + check)
    assert error.code == "invalid-id-number"
    assert "check character" in error.message


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("3302111980010100", "has 16 characters"),
        ("3302111980010100123", "has 19 characters"),
        ("33021119800101001Y", "17 digits and a check character"),
        ("33021119800101O01X", "17 digits and a check character"),
        ("９９０２１１１９８００１０１００１Ｘ", "17 digits and a check character"),
        ("990211198001010014", "digits 1-2 name no province-level division"),
        ("000000198001010012", "digits 1-2 name no province-level division"),
        ("330211198002300012", "digits 7-14 are not a possible date of birth"),
        ("330211189912310011", "digits 7-14 are not a possible date of birth"),
    ],
)
def test_a_refusal_says_which_check_failed(number: str, says: str) -> None:
    assert says in refusal(number).message


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    digits = f"330211{today_in_china().year + 1}0101001"
    error = refusal(digits + check_character(digits))
    assert "date of birth" in error.message


def test_an_id_number_that_is_no_text_is_refused_without_quoting_it() -> None:
    with pytest.raises(InvalidFieldError) as caught:
        person({"name": "王秀英", "id_number": 330211198001010011}, FIELD)
    assert "330211198001010011" not in caught.value.message


def test_a_filing_with_a_mistyped_id_number_is_refused_and_nothing_recorded(
    store: Store,
) -> None:
    ledger = factories.open_node(store)
    digits = "33021119800101001"
    wrong = "0" if check_character(digits) != "0" else "1"
    data = factories.filing(
        responsible_person={"name": "王秀英", "id_number": digits + wrong}
    )
    with pytest.raises(InvalidIdNumberError):
        ledger.record("OrganizationFiled", data)
    assert ledger.head().seq == 1
    right = {"name": "王秀英", "id_number": digits + check_character(digits)}
    receipt = ledger.record(
        "OrganizationFiled", factories.filing(responsible_person=right)
    )
    assert receipt.seq == 2
    ledger.close()


def test_a_stored_fact_from_before_the_check_is_still_ingested() -> None:
    # Facts recorded before GB 11643 was checked must still sync upward
    # (decision 0027): their ID numbers are judged by their form only.
    digits = "33021119800101001"
    wrong = "0" if check_character(digits) != "0" else "1"
    payload: dict[str, object] = {
        "org_id": None,
        "filing_number": "备1",
        "name": "城东舞蹈队",
        "category": "文体活动",
        "community": "330211001001",
        "responsible_person": {"name": "王秀英", "id_number": digits + wrong},
        "member_count": None,
        "venue": None,
        "funds_fen": None,
        "funds_source": None,
        "guiding_unit": None,
        "effective_on": "2021-03-01",
    }
    payload["org_id"] = str(org_id_for_filing(factories.COMMUNITY, "备1"))
    check_stored_payload(
        "OrganizationFiled", "330211001001", 2, payload, "2021-03-01T02:00:00.000000Z"
    )

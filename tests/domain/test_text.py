"""Text a reader can trust: nothing hidden, and look-alike identifiers are one."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.application import Ledger
from domain.errors import InvalidAmountError, InvalidFieldError, LedgerError
from domain.identity import parse_org_reference
from domain.money import parse_yuan
from domain.text import parse_identifier, parse_text
from tests.factories import STREET, filing

if TYPE_CHECKING:
    from collections.abc import Iterator

HIDDEN = [
    ("\u200b", "ZERO WIDTH SPACE"),
    ("\u200d", "ZERO WIDTH JOINER"),
    ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
    ("\u00ad", "SOFT HYPHEN"),
    ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
    ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
    ("\u061c", "ARABIC LETTER MARK"),
    ("\U000e0041", "TAG LATIN CAPITAL LETTER A"),
    ("\x07", ""),
    ("\u2028", "LINE SEPARATOR"),
    ("\ufdd0", ""),
    ("\U0010fffe", ""),
    ("\ue000", ""),
]


@pytest.mark.parametrize(("char", "name"), HIDDEN)
def test_hidden_characters_are_refused_by_code_point(char: str, name: str) -> None:
    with pytest.raises(InvalidFieldError) as caught:
        parse_text(f"城东{char}舞蹈队", "name")
    message = caught.value.message
    assert f"U+{ord(char):04X}" in message
    assert name in message
    assert "position 3" in message
    assert caught.value.field == "name"


@given(
    st.text(st.characters(categories=["Cc", "Cf", "Cs", "Co", "Zl", "Zp"]), min_size=1)
)
def test_any_refused_category_is_refused(hidden: str) -> None:
    if set(hidden) <= {"\t", "\n"}:
        return  # tab and newline are the controls text may hold
    with pytest.raises(InvalidFieldError):
        parse_text(f"名{hidden}称", "name")


@given(
    st.text(
        st.characters(
            categories=["L", "M", "N", "P", "S"],
            exclude_characters="\ufdd0\ufdd1",
        ),
        min_size=1,
        max_size=60,
    )
)
def test_visible_text_round_trips_as_nfc(text: str) -> None:
    assert (
        parse_text(text, "name", max_len=200)
        == unicodedata.normalize("NFC", text).strip()
    )


def test_spaces_a_reader_sees_are_kept() -> None:
    assert parse_text("城东\u3000舞蹈队", "name") == "城东\u3000舞蹈队"
    assert parse_text("第一行\n第二行", "note") == "第一行\n第二行"


@pytest.mark.parametrize(
    "look_alike", ["备２０２４－００１", "备2024－001", "备２０２４-００１"]
)
def test_full_width_filing_numbers_fold_to_ascii(look_alike: str) -> None:
    assert parse_identifier(look_alike, "filing_number") == "备2024-001"
    assert parse_org_reference(look_alike).filing_number == "备2024-001"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("备2024-001\u200b", "U+200B"),
        ("备2024 001", "space at position 6"),
        ("备2024\u3000001", "space at position 6"),
        ("备٢٠٢٤-001", "U+0662"),
        ("备२०२४-001", "U+0968"),
    ],
)
def test_identifiers_refuse_what_would_make_a_look_alike(
    value: str, message: str
) -> None:
    with pytest.raises(InvalidFieldError, match=re.escape(message)):
        parse_identifier(value, "filing_number")


@pytest.mark.parametrize("amount", ["３５００", "٣٥٠٠", "३५००", "3５00", "3500.５"])
def test_money_takes_ascii_digits_only(amount: str) -> None:
    with pytest.raises(InvalidAmountError, match="ASCII digits"):
        parse_yuan(amount, "amount")


@pytest.fixture
def ledger() -> Iterator[Ledger]:
    node = Ledger(STREET)
    node.open("招宝山街道", None, "2020-01-02")
    yield node
    node.close()


def test_a_look_alike_filing_number_is_the_same_organization(ledger: Ledger) -> None:
    first = ledger.record("OrganizationFiled", filing("备2024-001"))
    again = ledger.record("OrganizationFiled", filing("备２０２４－００１"))
    assert again.already_recorded
    assert again.seq == first.seq
    renamed = filing("备２０２４－００１", name="另一个队")
    with pytest.raises(LedgerError) as caught:
        ledger.record("OrganizationFiled", renamed)
    assert caught.value.code == "duplicate-filing-number"
    with pytest.raises(LedgerError) as hidden:
        ledger.record("OrganizationFiled", filing("备2024-001\u200b"))
    assert hidden.value.code == "invalid-field"
    assert len(ledger.registry()) == 1
    # A full-width reference names it too.
    grade = {"org": "备２０２４－００１", "scheme": "class", "grade": "一类"}
    graded = ledger.record("GradeEvaluated", grade)
    assert graded.org_id == first.org_id

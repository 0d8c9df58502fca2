from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.codes import NodeCode, division_name, known_divisions
from domain.errors import InvalidNodeCodeError


@pytest.mark.parametrize(
    ("text", "tier", "parent"),
    [
        ("330211", "district", "3302"),
        ("330211001", "street", "330211"),
        ("330211001001", "community", "330211001"),
        ("330211001000", "street", "330211"),  # padded street form
        ("330211000000", "district", "3302"),  # padded district form
    ],
)
def test_tier_and_parent_follow_from_the_code(
    text: str, tier: str, parent: str
) -> None:
    code = NodeCode.parse(text)
    assert code.tier == tier
    assert code.parent == NodeCode(parent)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("33021100101", "has 11 digits"),
        ("3302110010011", "has 13 digits"),
        ("33021a", "digits only"),
        ("３３０２１１", "digits only"),  # full-width digits are not ASCII
        ("330211000", "township part 000"),
        ("000000", "all zeros"),
        ("", "is empty"),
    ],
)
def test_rejects_malformed_codes_with_a_specific_message(
    text: str, message: str
) -> None:
    with pytest.raises(InvalidNodeCodeError, match=message):
        NodeCode.parse(text)


def test_rejects_non_text() -> None:
    with pytest.raises(InvalidNodeCodeError, match="string of digits"):
        NodeCode.parse(330211)


def test_contains_is_prefix_based() -> None:
    street = NodeCode("330211001")
    assert street.contains(NodeCode("330211001001"))
    assert not street.contains(NodeCode("330211002001"))


def test_shipped_data_names_real_divisions() -> None:
    assert division_name(NodeCode("330211001")) == "招宝山街道"
    assert division_name(NodeCode("330203004")) == "月湖街道"
    assert division_name(NodeCode("330211001001")) == "城东社区"
    assert all(
        d.code.tier in ("street", "community", "district")
        for d in known_divisions().values()
    )


@given(st.sampled_from(sorted(known_divisions())))
def test_every_shipped_code_parses_to_itself(code: str) -> None:
    assert NodeCode.parse(code).value == code

"""JSON bodies: their nesting measured without parsing, deep ones refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.json_body import MAX_DEPTH, decode, depth

TEXT = st.text(st.sampled_from('[]{}"\\/:,ab 银\u2028\x00\x1f'), max_size=8)
"""Strings full of what a scanner could mistake for structure."""
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=30,
)


def nesting(value: Any) -> int:
    """How deep arrays and objects nest in a parsed value."""
    if isinstance(value, list):
        return 1 + max(map(nesting, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(nesting, value.values()), default=0)
    return 0


@given(value=VALUES, ascii_only=st.booleans(), indent=st.sampled_from([None, 1]))
def test_depth_is_the_nesting_of_the_parsed_value(
    value: Any, ascii_only: bool, indent: int | None
) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    assert depth(text.encode()) == nesting(value)


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1_000, 100_000])
def test_bodies_nested_deeper_than_the_limit_are_not_json(levels: int) -> None:
    with pytest.raises(json.JSONDecodeError, match="nested deeper"):
        decode(b"[" * levels + b"]" * levels)


def test_bodies_up_to_the_limit_are_decoded() -> None:
    body = b"[" * MAX_DEPTH + b'"]]]]"' + b"]" * MAX_DEPTH
    assert nesting(decode(body)) == MAX_DEPTH


def test_a_body_not_in_utf8_is_not_decoded() -> None:
    with pytest.raises(UnicodeDecodeError):
        decode('{"name": "银"}'.encode("utf-16"))

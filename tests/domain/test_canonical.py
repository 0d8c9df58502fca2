"""The canonical encoding is byte for byte the reference of docs/ledger-format.md."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.canonical import canonical_bytes

# Everything a payload may hold: text (no lone surrogates), 64-bit integers, booleans,
# null, and objects and arrays of those.
text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | text
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4)
    ),
    max_leaves=20,
)


def reference(
    node: str,
    seq: int,
    fact_type: str,
    payload: object,
    at: str,
    actor: str | None = None,
) -> bytes:
    document = {
        "node": node,
        "payload": payload,
        "recorded_at": at,
        "seq": seq,
        "type": fact_type,
    }
    if actor is not None:  # a key only in facts that name who recorded them
        document["actor"] = actor
    text = json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return text.encode("utf-8")


@given(
    payload=st.dictionaries(text, values, max_size=8),
    seq=st.integers(1, 2**62),
    actor=st.none() | text,
)
def test_matches_the_documented_stdlib_encoding(
    payload: dict[str, object], seq: int, actor: str | None
) -> None:
    at = "2024-03-01T02:15:30.250000Z"
    ours = canonical_bytes("330211001001", seq, "T", payload, at, actor=actor)
    assert ours == reference("330211001001", seq, "T", payload, at, actor)


@pytest.mark.parametrize(
    "payload",
    [{"amount": 1.5}, {"n": 2**64}, {"s": {1, 2}}, {"nested": {"x": [0.1]}}],
)
def test_refuses_values_without_a_canonical_form(payload: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        canonical_bytes("330211001001", 1, "T", payload, "2024-01-01T00:00:00.000000Z")

"""Messages kept as data (a verification's findings) come back as the same message,
and data that is not one comes back as nothing rather than failing where shown."""

from __future__ import annotations

import json

import pytest

from domain.messages import Text, text_data, text_of_data


def test_a_message_kept_as_json_comes_back_equal_with_nested_messages() -> None:
    inner = Text("extra keys")
    text = Text("{parts} at seq {seq} of {node}", parts=inner, seq=7, node="街道")
    kept = json.loads(json.dumps(text_data(text), ensure_ascii=False))
    back = text_of_data(kept)
    assert back == text
    assert back is not None
    assert back.values["parts"] == inner
    assert str(back) == "extra keys at seq 7 of 街道"


@pytest.mark.parametrize(
    "data",
    [
        None,
        "seq 1: prev_hash does not link",
        {"template": "x"},
        {"template": "x", "values": {}, "more": 1},
        {"template": 1, "values": {}},
        {"template": "{a}", "values": []},
        {"template": "{a}", "values": {}},
        {"template": "{a}", "values": {"a": [1]}},
        {"template": "{a}", "values": {"a": {"template": "{b}", "values": {}}}},
        {"template": "{a.b}", "values": {"a": "text"}},
        {"template": "{a[9]}", "values": {"a": "text"}},
        {"template": "{a:d}", "values": {"a": "text"}},
        # Kept data may be edited by whoever writes the store: nothing that builds
        # gigabytes, reads attributes, or nests without end is taken.
        {"template": "{a:>999999999}", "values": {"a": "x"}},
        {"template": "{a:.99999999f}", "values": {"a": 1}},
        {"template": "{a!r}", "values": {"a": "x"}},
        {"template": "{a.__class__.__mro__}", "values": {"a": "x"}},
        {"template": "{}", "values": {}},
        {"template": "{0}", "values": {"0": "x"}},
        {"template": "{a", "values": {"a": "x"}},
        {"template": "{a}", "values": {"a": "x" * 1001}},
        {"template": "x" * 1001, "values": {}},
        {"template": "{a}", "values": {"a": 10**18}},
        {"template": "{a}", "values": {"a": True}},
        {"template": "{a}", "values": {"a": 1.5}},
        {"template": "{a}" * 14, "values": {"a": "x"}},
        {"template": "{a}", "values": {f"k{n}": "x" for n in range(13)}},
        {
            "template": "{a}",
            "values": {
                "a": {
                    "template": "{b}",
                    "values": {"b": {"template": "x", "values": {}}},
                }
            },
        },
    ],
)
def test_data_that_is_not_a_renderable_message_gives_none(data: object) -> None:
    assert text_of_data(data) is None


def test_a_kept_message_renders_within_bounds_however_it_was_edited() -> None:
    widest = {"template": "{a}" * 13, "values": {"a": "x" * 1000}}
    nested = {"template": "{a}" * 13, "values": {"a": widest}}
    text = text_of_data(nested)
    assert text is not None
    assert len(str(text)) == 13 * 13 * 1000

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
    ],
)
def test_data_that_is_not_a_renderable_message_gives_none(data: object) -> None:
    assert text_of_data(data) is None

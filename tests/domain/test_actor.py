"""An actor is short printable text, ``kind:name``, in the one form it is stored in."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.actor import MAX_ACTOR, parse_actor, stored_actor
from domain.application import Ledger
from domain.errors import InputError, InvalidFieldError
from tests.factories import COMMUNITY, filing


@pytest.mark.parametrize(
    "actor",
    ["user:王秀英", "token:1a2b3c4d", "cli:clerk", "node:330211001", "demo:tierledger",
     "user:Wang Xiuying", "web-admin:招宝山街道·张科长", "k:" + "名" * (MAX_ACTOR - 2)],
)  # fmt: skip
def test_accepts_kind_and_name(actor: str) -> None:
    assert parse_actor(actor) == actor
    assert stored_actor(actor) == actor


@pytest.mark.parametrize(
    ("given_actor", "problem"),
    [
        ("王秀英", "kind:name"),
        ("User:王秀英", "kind:name"),
        ("1user:x", "kind:name"),
        ("user:", "kind:name"),
        (":王秀英", "kind:name"),
        ("user: 王秀英", "kind:name"),
        ("averyveryverylongkind:x", "kind:name"),
        ("user:王\t秀英", "one line"),
        ("user:王\n秀英", "one line"),
        ("user:王\u3000秀英", "one line"),
        ("user:王\u200b秀英", "U+200B"),
        ("user:王\u202e秀英", "U+202E"),
        ("user:" + "x" * MAX_ACTOR, "at most 64"),
        ("", "must not be empty"),
        (7, "must be text"),
    ],
)
def test_refuses_what_is_not_one_short_visible_line(
    given_actor: object, problem: str
) -> None:
    with pytest.raises(InvalidFieldError) as caught:
        parse_actor(given_actor)
    assert problem in caught.value.message
    assert caught.value.field == "actor"


def test_a_stored_actor_is_in_its_recorded_form() -> None:
    # Input is trimmed and composed; a stored actor must already be, so one name
    # has one text under the hash.
    decomposed = unicodedata.normalize("NFD", "user:王秀英 José")
    assert parse_actor(" user:王秀英 ") == "user:王秀英"
    assert parse_actor(decomposed) == "user:王秀英 José"
    for other_form in (" user:王秀英 ", decomposed):
        with pytest.raises(InvalidFieldError, match="the form it is recorded in"):
            stored_actor(other_form)


@given(
    st.one_of(
        st.text(max_size=80),
        st.builds(
            "{}:{}".format,
            st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True),
            st.text(max_size=60),
        ),
    )
)
def test_any_text_is_refused_or_becomes_an_actor_its_parent_accepts(
    text: str,
) -> None:
    try:
        actor = parse_actor(text)
    except InputError as error:
        refused_field = error.field
    else:
        refused_field = None
    if refused_field is not None:
        assert refused_field == "actor"
        return
    assert stored_actor(actor) == actor == parse_actor(actor)
    assert len(actor) <= MAX_ACTOR
    assert actor.isprintable()
    kind, _, name = actor.partition(":")
    assert kind.isascii()
    assert kind.islower()
    assert name.strip() == name != ""


def test_the_ledger_keeps_the_actor_and_refuses_a_bad_one_before_recording() -> None:
    ledger = Ledger(COMMUNITY)
    ledger.open("城东社区", None, "2020-01-02", actor="cli:clerk")
    receipt = ledger.record("OrganizationFiled", filing("备1"), actor=" user:王秀英")
    assert [f.actor for f in ledger.facts()] == ["cli:clerk", "user:王秀英"]
    with pytest.raises(InvalidFieldError):
        ledger.record("OrganizationFiled", filing("备2"), actor="王秀英")
    with pytest.raises(InvalidFieldError):
        ledger.record_many([(1, ("OrganizationFiled", filing("备2")))], actor="x")
    assert ledger.head().seq == receipt.seq  # nothing recorded
    assert ledger.verify().ok

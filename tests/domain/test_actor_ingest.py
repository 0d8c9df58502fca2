"""Facts kept before actors were still verify and sync; ingest takes documents with
and without an actor, and refuses a malformed one (decision 0035)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from eventsourcing.persistence import Tracking
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.actor import MAX_ACTOR, parse_actor
from domain.errors import InputError, MalformedFactError
from domain.ledger_reads import HEAD
from domain.wire import from_document
from service import node as service
from tests.domain.stored_corpus import COMMUNITY, STREET, accepted, refused, rehash
from tests.projections.delivery import open_node

if TYPE_CHECKING:
    from infrastructure.stores import Store
    from tests.domain.stored_corpus import Corpus

BEFORE = Path(__file__).parent / "data" / "before-actor.jsonl"
"""A community's journal and its street's, as the version before actors made them
(every fact type; a fork reported and resolved)."""
DISTRICT = "330211"
Document = dict[str, Any]


def documents_before_actors(node: str) -> list[Document]:
    """The frozen journal of ``node``, in seq order."""
    lines = BEFORE.read_text(encoding="utf-8").splitlines()
    return [doc for doc in map(json.loads, lines) if doc["node"] == node]


def test_every_document_made_before_actors_is_taken_exactly_as_sent() -> None:
    docs = documents_before_actors(COMMUNITY) + documents_before_actors(STREET)
    assert len({d["type"] for d in docs}) == 15  # every fact type
    for doc in docs:
        assert "actor" not in doc
        fact = accepted(doc)
        assert fact.actor is None
        assert fact.recomputed_hash() == doc["hash"]  # the encoding did not change


def test_a_district_takes_a_subtree_that_knows_nothing_of_actors(
    store: Store,
) -> None:
    street, community = (
        documents_before_actors(STREET),
        documents_before_actors(COMMUNITY),
    )
    district = open_node(store, DISTRICT)
    try:
        district.enroll(STREET, street[0]["payload"]["public_key"], actor="cli:ops")
        # The street's genesis and enrolment of its community, the community's
        # journal it relays, then the rest of its own: one push.
        batch = [*street[:2], *community, *street[2:]]
        district.ingest(STREET, batch, transport="push", feed_position=len(batch))
        reports = district.verify_all()
        assert {origin: r.ok for origin, r in reports.items()} == {
            DISTRICT: True,
            STREET: True,
            COMMUNITY: True,
        }
        held = [d for d in district.feed(0, 1000).facts if d["node"] == COMMUNITY]
        assert held == community  # kept verbatim: no actor added
        actors = {f.fact_type: f.actor for f in district.ledger.facts()}
        assert actors == {
            "LedgerOpened": None,
            "ChildEnrolled": "cli:ops",  # an operator's act
            "BatchReceived": f"node:{DISTRICT}",  # the node's own record
            "Checkpoint": None,  # its signature attributes it
        }
    finally:
        district.ledger.close()


def test_a_journal_kept_before_actors_replays_verifies_and_goes_on_named(
    store: Store,
) -> None:
    old = [from_document(d) for d in documents_before_actors(COMMUNITY)]
    node = service.open_node(store, COMMUNITY, create=True)
    try:
        # As the version before stored them: its rows, with the head.
        node.ledger._insert(old, Tracking(HEAD, old[-1].seq))
        assert node.ledger.verify().ok
        filed = {"filing_number": "镇民备2099001号", "name": "城东社区书法队",
                 "category": "文体活动", "effective_on": "2024-03-01"}  # fmt: skip
        receipt = node.record("OrganizationFiled", filed, actor="user:王秀英")
        assert receipt.seq == old[-1].seq + 1
        report = node.ledger.verify()
        assert report.ok, report.problems
        new = node.ledger.fact(receipt.seq)
        assert new is not None
        assert new.prev_hash == old[-1].hash
        assert new.actor == "user:王秀英"
        assert [f.actor for f in node.ledger.facts()][:-1] == [None] * len(old)
        page = node.organization("镇民备2099001号", node.point())
        assert [f.actor for f in page.timeline] == ["user:王秀英"]
        some_old = next(f for f in old if f.fact_type == "OrganizationFiled")
        shown = node.audit_timeline(str(some_old.concerns), node.point())
        assert shown.in_knowledge_order
        assert {f.actor for f in shown.in_knowledge_order} == {None}
    finally:
        node.close()


# Documents that name their actor.


def named(corpus: Corpus, fact_type: str, actor: str = "user:王秀英") -> Document:
    """A copy of the corpus's first document of a type, naming ``actor``."""
    doc = copy.deepcopy(next(d for d in corpus.own if d["type"] == fact_type))
    doc["actor"] = actor
    rehash(doc)
    return doc


@pytest.mark.parametrize(
    "fact_type",
    ["LedgerOpened", "OrganizationFiled", "SubsidyDecided", "FactCorrected"],
)
def test_a_document_naming_its_actor_is_taken_as_sent(
    corpus: Corpus, fact_type: str
) -> None:
    doc = named(corpus, fact_type)
    assert accepted(doc).actor == "user:王秀英"


def test_the_street_names_itself_in_what_it_records_by_itself(corpus: Corpus) -> None:
    actors = {d["type"]: d.get("actor") for d in corpus.network}
    assert actors["BatchReceived"] == actors["ForkDetected"] == f"node:{STREET}"
    assert actors["Checkpoint"] is None
    for doc in corpus.network:
        accepted(doc)


@pytest.mark.parametrize(
    ("actor", "problem"),
    [
        ("user:" + "长" * MAX_ACTOR, "at most 64"),
        ("user:王\u200b秀英", "U+200B"),
        ("user:王\u2066秀英", "U+2066"),
        ("user:王\n秀英", "one line"),
        ("王秀英", "kind:name"),
        (" user:王秀英", "the form it is recorded in"),
        (None, "must be text"),
        (7, "must be text"),
        (["user:王秀英"], "must be text"),
    ],
)
def test_a_malformed_actor_is_refused_by_field(
    corpus: Corpus, actor: object, problem: str
) -> None:
    doc = copy.deepcopy(next(d for d in corpus.own if d["type"] == "GradeEvaluated"))
    doc["actor"] = actor
    if isinstance(actor, str):  # hashed as its sender would: the checks must see it
        rehash(doc)
    error = refused(doc)
    assert error.field == "actor"
    assert problem in error.message
    assert error.message.startswith(f"fact {COMMUNITY}/{doc['seq']}: ")


def test_a_checkpoint_names_no_actor(corpus: Corpus) -> None:
    # Its signature covers all it holds but itself: an actor would be unsigned.
    doc = named(corpus, "Checkpoint", f"node:{COMMUNITY}")
    error = refused(doc)
    assert (error.field, "names no actor" in error.message) == ("actor", True)


def test_no_other_key_joins_a_document(corpus: Corpus) -> None:
    doc = named(corpus, "OrganizationFiled")
    doc["actor_note"] = "经办"
    assert refused(doc).field == "document"
    del doc["actor"]
    assert refused(doc).field == "document"


def test_fork_evidence_quoting_a_malformed_actor_is_refused(corpus: Corpus) -> None:
    fork = copy.deepcopy(next(d for d in corpus.network if d["type"] == "ForkDetected"))
    fork["payload"]["offered"]["actor"] = "user:\u202e局长"
    rehash(fork)
    assert refused(fork).field == "payload.offered.actor"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=70),
        st.builds(
            "{}:{}".format,
            st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True),
            st.text(max_size=60),
        ),
    )
)
def test_an_actor_is_taken_exactly_when_a_clerks_would_be_stored_so(
    corpus: Corpus, actor: str
) -> None:
    doc = named(corpus, "OrganizationFiled", actor)
    try:
        as_input = parse_actor(actor)
    except InputError:
        as_input = None
    if as_input == actor:
        assert accepted(doc).actor == actor
    else:
        with pytest.raises(MalformedFactError) as caught:
            from_document(doc)
        assert caught.value.field == "actor"

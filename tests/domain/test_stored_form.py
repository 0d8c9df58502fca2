"""A fact's stored state is its wire document; reading it back gives the same fact."""

from __future__ import annotations

import json

from eventsourcing.utils import get_topic

from domain.application import Ledger
from domain.canonical import chain_hash
from domain.codes import NodeCode
from domain.facts import JOURNAL_TOPIC
from domain.journal import Journal
from domain.stored_form import LINKS_LENGTH
from domain.wire import to_document

NODE = NodeCode("330211001001")


def recorded_ledger() -> Ledger:
    ledger = Ledger(NODE)
    ledger.open("城东社区", None, "2021-01-04")
    ledger.record(
        "OrganizationFiled",
        {
            "filing_number": "镇民备2021001号",
            "name": "城东舞蹈队",
            "category": "文体活动",
            "effective_on": "2021-03-01",
        },
    )
    return ledger


def test_journal_topic_constant_names_the_journal() -> None:
    assert get_topic(Journal) == JOURNAL_TOPIC


def test_stored_state_is_the_fact_document() -> None:
    ledger = recorded_ledger()
    # Check every stored row parses to exactly the fact's wire document.
    for row, fact in zip(
        ledger.recorder.select_events(ledger.journal_id), ledger.facts(), strict=True
    ):
        assert json.loads(row.state) == to_document(fact)
        assert row.topic == get_topic(type(fact))
        assert row.topic.startswith("domain.journal:Journal.")


def test_hash_recomputes_from_the_stored_bytes_alone() -> None:
    ledger = recorded_ledger()
    prev = "0" * 64
    for row in ledger.recorder.select_events(ledger.journal_id):
        document = json.loads(row.state)
        # The canonical bytes are the stored bytes minus the two chain links.
        canonical = b"{" + row.state.split(b'",', 2)[2]
        assert document["prev_hash"] == prev
        assert chain_hash(prev, canonical) == document["hash"]
        prev = document["hash"]


def test_decoded_fact_equals_recorded_fact() -> None:
    ledger = recorded_ledger()
    stored = list(ledger.recorder.select_events(ledger.journal_id))
    decoded = [ledger.decode(row) for row in stored]
    assert [to_document(f) for f in decoded] == [to_document(f) for f in ledger.facts()]
    assert [f.canonical() for f in decoded] == [
        b"{" + row.state.split(b'",', 2)[2] for row in stored
    ]


def test_canonical_bytes_follow_the_fixed_length_links() -> None:
    ledger = recorded_ledger()
    # Check the views' shortcut: the links take LINKS_LENGTH bytes in every row.
    for row, fact in zip(
        ledger.recorder.select_events(ledger.journal_id), ledger.facts(), strict=True
    ):
        assert b"{" + row.state[LINKS_LENGTH:] == fact.canonical()

"""Network facts are what their nodes' journals derive, and a node records none its
parent would refuse."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from domain.errors import InvalidFieldError, LedgerError
from domain.text import parse_text
from tests.domain.stored_corpus import (
    COMMUNITY,
    Corpus,
    accepted,
    altered,
    first,
    fork_at,
    refused,
    spare_bits,
)

# Network facts.


def test_a_genesis_fact_says_what_its_node_code_says(corpus: Corpus) -> None:
    doc = first(corpus.network, "LedgerOpened")
    assert refused(altered(doc, ("tier",), "community")).field == "payload.tier"
    assert refused(altered(doc, ("parent",), None)).field == "payload.parent"
    assert refused(altered(doc, ("node_name",), "街道\u202e")).field == (
        "payload.node_name"
    )
    accepted(altered(doc, ("public_key",), None))


def test_keys_and_signatures_have_one_base64_text(corpus: Corpus) -> None:
    enrolled = first(corpus.network, "ChildEnrolled")
    key = enrolled["payload"]["public_key"]
    assert refused(altered(enrolled, ("public_key",), spare_bits(key))).field == (
        "payload.public_key"
    )
    checkpoint = first(corpus.network, "Checkpoint")
    signature = checkpoint["payload"]["signature"]
    assert base64.b64decode(spare_bits(signature)) == base64.b64decode(signature)
    for text in (spare_bits(signature), signature[:-4], signature + "AAAA", 7):
        error = refused(altered(checkpoint, ("signature",), text))
        assert error.field == "payload.signature"


def test_an_enrolment_names_a_direct_child_and_its_keys_fingerprint(
    corpus: Corpus,
) -> None:
    doc = first(corpus.network, "ChildEnrolled")
    for child in ("330211002001", "330211001", "330211001001001"):
        assert refused(altered(doc, ("child",), child)).field == "payload.child"
    assert refused(altered(doc, ("fingerprint",), "0000:0000:0000:0000")).field == (
        "payload.fingerprint"
    )


def test_a_checkpoint_signs_the_fact_just_before_it(corpus: Corpus) -> None:
    doc = first(corpus.network, "Checkpoint")
    assert refused(altered(doc, ("signed_seq",), doc["seq"])).field == (
        "payload.signed_seq"
    )
    assert refused(altered(doc, ("signed_hash",), "F" * 64)).field == (
        "payload.signed_hash"
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("origin", "330211001"),  # the receiver itself
        ("origin", "330211002001"),  # outside its subtree
        ("via", "330211002"),
        ("from_seq", 0),
        ("to_seq", 2**63),
        ("signed_seq", 2**40),  # beyond to_seq
        ("feed_position", -1),
        ("via_head_seq", True),
        ("transport", "carrier pigeon"),
        ("head_hash", "0" * 63),
        ("enrollments", {"330211002001": "x"}),
        ("enrollments", []),
    ],
)
def test_a_receipt_names_what_a_batch_can_have_stored(
    corpus: Corpus, key: str, value: Any
) -> None:
    doc = first(corpus.network, "BatchReceived")
    error = refused(altered(doc, (key,), value))
    assert error.field is not None
    assert error.field.startswith(f"payload.{key}") or key == "to_seq"


def test_fork_evidence_quotes_a_document_showing_the_offered_hash(
    corpus: Corpus,
) -> None:
    doc = first(corpus.network, "ForkDetected")
    offered = doc["payload"]["offered"]
    assert refused(altered(doc, ("offered_hash",), "0" * 64)).field == (
        "payload.offered"
    )
    assert refused(altered(doc, ("held_hash",), offered["hash"])).field == (
        "payload.offered_hash"
    )
    assert refused(altered(doc, ("offered", "seq"), 0)).field == "payload.offered.seq"
    next_one = altered(doc, ("offered", "seq"), doc["payload"]["at_seq"] + 1)
    next_one["payload"]["offered"]["prev_hash"] = offered["hash"]
    accepted(next_one)  # a restored backup: the next fact links to another hash


def test_fork_evidence_quotes_fork_evidence_at_most_four_deep(corpus: Corpus) -> None:
    fork = first(corpus.network, "ForkDetected")

    def quoting(depth: int) -> dict[str, Any]:
        doc: dict[str, Any] = fork["payload"]["offered"]
        for _ in range(depth):
            doc = altered(fork, ("offered",), doc)
        return doc

    assert "quoted more than" not in refused(quoting(4)).message
    error = refused(quoting(5))
    assert "quoted more than 4 deep" in error.message
    assert error.field == "payload.offered" + ".payload.offered" * 4


# What a node records itself.


def test_a_node_records_no_network_fact_its_parent_would_refuse(
    corpus: Corpus,
) -> None:
    street = corpus.street
    fork_at(street, corpus.community, corpus.own[2])  # a filing, offered rewritten
    head = street.ledger.head()
    with pytest.raises(InvalidFieldError) as caught:
        street.resolve_fork(COMMUNITY, 3, "已核实\u202e")
    assert caught.value.field == "note"
    key = first(corpus.network, "ChildEnrolled")["payload"]["public_key"]
    with pytest.raises(LedgerError):
        street.enroll("330211001002", spare_bits(key))
    assert street.ledger.head() == head  # nothing was recorded


def test_a_clerks_text_refuses_bidirectional_controls() -> None:
    for control in ("\u202e", "\u2066", "\u200f", "\u061c"):
        with pytest.raises(InvalidFieldError):
            parse_text(f"城东{control}舞蹈队", "name")

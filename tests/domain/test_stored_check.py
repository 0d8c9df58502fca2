"""Ingest checks stored payloads as strictly as a clerk's input (issue 16, item 4):
every valid fact passes; the issue's examples and malformed structure are refused.

Each test alters one value of a valid document made by a real ledger
(``tests.domain.stored_corpus``) and hands it to ``from_document``, the first step of
every ingest: a bad fact is refused with its origin, seq and field; a good one is
rebuilt and kept exactly as sent.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from domain.grades import shipped_schemes
from domain.money import FUNDING_SOURCES
from domain.policy import parse_programs
from domain.wire import to_document
from infrastructure.stores import Store
from testdata.generator import Generator, community_codes
from tests import factories
from tests.domain.stored_corpus import (
    COMMUNITY,
    STREET,
    At,
    Corpus,
    accepted,
    altered,
    first,
    refused,
)

if TYPE_CHECKING:
    from pathlib import Path


# Every valid fact passes.


def test_every_fact_real_ledgers_make_is_accepted_as_it_is(corpus: Corpus) -> None:
    for doc in corpus.own + corpus.network:
        accepted(doc)
    kinds = {d["type"] for d in corpus.own + corpus.network}
    assert len(kinds) == 15  # every fact type


def test_facts_the_test_factories_and_the_generator_make_are_accepted(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path)
    community = factories.open_node(store)
    filed = community.record("OrganizationFiled", factories.filing())
    community.record("SubsidyDecided", factories.subsidy(filed.org_id or ""))
    district = factories.open_node(store, factories.DISTRICT, "镇海区")
    generator = Generator(factories.DISTRICT)
    for year in (2019, 2020):
        district.record(*generator.registration(date(year, 3, 1)))
    for fact_type, data in list(generator.years(2019, 2021, 2, community_codes()))[:9]:
        district.record(fact_type, data)
    for ledger in (community, district):
        for fact in ledger.facts():
            accepted(to_document(fact))
        ledger.close()


def test_the_largest_facts_a_node_can_make_fit_the_size_limit(corpus: Corpus) -> None:
    bands = {
        key: {g: ["999999999999.99"] * 2 for g in (*s.grades, s.not_passed)}
        for key, s in shipped_schemes().items()
    }
    programs = [
        {"program": "\U00020000" * 97 + f"{n:03d}", "bands": bands,
         "cap": "999999999999.99", "split": dict.fromkeys(FUNDING_SOURCES, 20)}
        for n in range(50)
    ]  # fmt: skip
    policy = first(corpus.own, "PolicyAdopted")
    policy = altered(policy, ("programs",), parse_programs(programs, "programs"))
    accepted(altered(policy, ("name",), "\U00020000" * 200))
    receipt = first(corpus.network, "BatchReceived")
    keys = [base64.b64encode(bytes([n % 256]) * 32).decode() for n in range(999)]
    enrolled = {f"330211001{n + 1:03d}": key for n, key in enumerate(keys)}
    receipt = altered(receipt, ("origin",), STREET)
    receipt = altered(altered(receipt, ("via",), STREET), ("enrollments",), enrolled)
    receipt["node"] = "330211"
    accepted(receipt)


# The issue's examples.


@pytest.mark.parametrize(
    ("fact_type", "path", "value", "says"),
    [
        ("SubsidyDecided", ("amount_fen",), -500_000_000_000, "negative"),
        ("SubsidyDecided", ("amount_fen",), "lots", "integer number of fen"),
        ("SubsidyDecided", ("amount_fen",), True, "integer number of fen"),
        ("SubsidyDecided", ("amount_fen",), 3500.0, "integer number of fen"),
        ("SubsidyDecided", ("amount_fen",), 2**63, "implausibly large"),
        ("SubsidyDecided", ("amount_fen",), 10**15, "implausibly large"),
        ("SubsidyDecided", ("effective_on",), "2024-02-30", "not a real date"),
        ("SubsidyDecided", ("program",), "补" * 100_000, "at most 100"),
        ("SubsidyDecided", ("program",), "日常\u0000补助", "U+0000"),
        ("OrganizationFiled", ("name",), "舞蹈队\u202e", "U+202E"),
        ("GradeEvaluated", ("score",), 1.5, "whole number"),
        pytest.param(
            "GradeEvaluated", ("score",), 10**5000, "beyond 64 bits", id="10**5000"
        ),
    ],
)
def test_the_issues_examples_are_refused_by_origin_seq_and_field(
    corpus: Corpus, fact_type: str, path: At, value: Any, says: str
) -> None:
    doc = first(corpus.own, fact_type)
    error = refused(altered(doc, path, value))
    assert error.code == "malformed-fact"
    assert error.message.startswith(f"fact {COMMUNITY}/{doc['seq']}: payload.{path[0]}")
    assert error.field == f"payload.{path[0]}"
    assert says in error.message
    assert len(error.message) < 260  # a short excerpt of the value, never all of it


# Structure.


def test_a_document_has_exactly_its_keys_and_type_and_payload_fields(
    corpus: Corpus,
) -> None:
    doc = first(corpus.own, "OrganizationFiled")
    assert refused({**doc, "extra": 1}).field == "document"
    assert refused([doc]).field == "document"
    assert refused({**doc, "type": "OrganizationFiledX"}).field == "type"
    payload = {**doc["payload"], "extra": None}
    assert refused({**doc, "payload": payload}).field == "payload"


@pytest.mark.parametrize("seq", [0, -1, 2**63, True, "5", 5.0, None])
def test_seq_is_an_integer_from_1_to_2_63_minus_1(corpus: Corpus, seq: Any) -> None:
    doc = first(corpus.own, "OrganizationFiled")
    assert refused({**doc, "seq": seq}).field == "seq"


def test_the_largest_seq_is_accepted_and_only_seq_1_opens_a_ledger(
    corpus: Corpus,
) -> None:
    doc = first(corpus.own, "PolicyAdopted")
    accepted({**doc, "seq": 2**63 - 1})
    assert refused({**doc, "seq": 1}).field == "type"
    genesis = first(corpus.own, "LedgerOpened")
    assert refused({**genesis, "seq": 2}).field == "type"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("hash", "A" * 64),
        ("prev_hash", "0" * 63),
        ("node", "330211001000"),  # the padded form of the street
        ("node", "3302110010011"),
        ("node", 330211001001),
        ("recorded_at", "2024-01-01T00:00:00Z"),
        ("recorded_at", "2024-01-01T08:00:00.000000+08:00"),
        ("recorded_at", None),
    ],
)
def test_hashes_node_codes_and_instants_have_one_written_form(
    corpus: Corpus, key: str, value: Any
) -> None:
    doc = first(corpus.own, "OrganizationFiled")
    assert refused({**doc, key: value}).field == key


def test_nesting_deeper_than_eight_is_refused_without_a_recursion_error(
    corpus: Corpus,
) -> None:
    doc = first(corpus.own, "FactCorrected")
    deep: Any = 1
    for _ in range(100_000):
        deep = [deep]
    error = refused(altered(doc, ("replacement", "name"), deep))
    assert "nests deeper than 8" in error.message
    assert error.field == "payload.replacement.name" + "[0]" * 5
    # Depth 8 itself is structure enough; the field rules refuse it.
    shallow: Any = [[[[[1]]]]]
    assert "nests" not in refused(altered(doc, ("replacement", "x"), shallow)).message


@pytest.mark.parametrize("text", ["a\u0000b", "\ud800"])
def test_nul_and_lone_surrogates_are_refused_in_keys_and_values(
    corpus: Corpus, text: str
) -> None:
    doc = first(corpus.own, "SubsidyDecided")
    found = refused(altered(doc, ("note",), text)).message
    bad = ord(text.strip("ab"))
    assert f"U+{bad:04X} " in found
    shares = {**doc["payload"]["shares"], text: 0}
    assert (
        "unknown funding source" in refused(altered(doc, ("shares",), shares)).message
    )


def test_a_document_twice_too_large_is_refused_before_it_is_read_through(
    corpus: Corpus,
) -> None:
    doc = first(corpus.own, "FactCorrected")
    error = refused(altered(doc, ("reason",), "x" * 200_000))
    assert error.field == "payload.reason"
    assert "larger than 65536 bytes" in error.message
    many = altered(doc, ("replacement",), {"name": "x", "list": [0] * 10**6})
    assert "larger than 65536 bytes" in refused(many).message


def test_the_encoded_size_is_checked_too(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    import domain.wire

    monkeypatch.setattr(domain.wire, "MAX_FACT_BYTES", 300)
    error = refused(first(corpus.own, "PolicyAdopted"))
    assert error.field == "payload"
    assert "larger than 300 bytes" in error.message


def test_error_messages_never_repeat_personal_data(corpus: Corpus) -> None:
    doc = first(corpus.own, "OrganizationFiled", lambda p: p["responsible_person"])
    person = doc["payload"]["responsible_person"]
    for bad in ({**person, "phone": "1380013800x"}, {**person, "phone": 13800138000}):
        error = refused(altered(doc, ("responsible_person",), bad))
        assert error.field == "payload.responsible_person.phone"
        assert "1380013800" not in error.message
    spaced = {**person, "id_number": " 33021119800101001X"}
    error = refused(altered(doc, ("responsible_person",), spaced))
    assert "33021119800101001X" not in error.message

"""Every fact type has all three of its places (decision 0023): its definition in
``domain/fact_types``, its view extraction in ``projections/tables.py`` and its section
in the catalogue, ``docs/facts.md`` and its Chinese ``docs/facts.zh-CN.md`` (which
``tierledger facts`` prints); and its stored topic is the one stored before."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from eventsourcing.utils import get_topic

from domain import fact_types
from domain.catalogue import CATALOGUE, FACT_TYPES
from domain.facts import Fact, payload_names
from domain.journal import Journal
from domain.stored_form import fact_classes
from projections.tables import BY_TYPE, NOT_VIEWED, POLICY_TYPES

if TYPE_CHECKING:
    from tests.domain.stored_corpus import Corpus

DOCS = Path(__file__).parents[2] / "docs"
CATALOGUES = ("facts.md", "facts.zh-CN.md")
NAMES = sorted(FACT_TYPES)
CONSUMED = frozenset({"org"})
"""Input keys a rule reads and replaces (a reference becomes ``org_id``)."""
STORED_TOPICS = frozenset(
    f"domain.journal:Journal.{name}"
    for name in (
        "LedgerOpened",
        "OrganizationFiled",
        "OrganizationRegistered",
        "OrganizationUpgraded",
        "OrganizationDeregistered",
        "GradeEvaluated",
        "SubsidyDecided",
        "SubsidyRevoked",
        "FactCorrected",
        "ChildEnrolled",
        "Checkpoint",
        "BatchReceived",
        "ForkDetected",
        "ForkResolved",
        "PolicyAdopted",
    )
)
"""The topics stores already hold: each must keep naming its fact type."""


def _section(name: str, catalogue: str = "facts.md") -> str:
    doc = (DOCS / catalogue).read_text(encoding="utf-8")
    found = re.search(rf"^## {name} — .*?(?=^#|\Z)", doc, re.MULTILINE | re.DOTALL)
    assert found, f"docs/{catalogue} has no section '## {name} — ...'"
    return found.group(0)


def test_each_module_of_fact_types_defines_the_type_it_is_named_after() -> None:
    for module in pkgutil.iter_modules(fact_types.__path__):
        loaded = importlib.import_module(f"domain.fact_types.{module.name}")
        camel = "".join(part.title() for part in module.name.split("_"))
        assert loaded.FACT_TYPE.name == camel, module.name
    assert len(FACT_TYPES) == len(list(pkgutil.iter_modules(fact_types.__path__)))


@pytest.mark.parametrize("name", NAMES)
def test_definition_has_its_fields_and_checks(name: str) -> None:
    t = FACT_TYPES[name]
    assert issubclass(t.cls, Fact)
    assert CATALOGUE[name] is t.cls
    payload = set(payload_names(t.cls))
    assert "effective_on" in payload
    assert callable(t.check_stored), f"{name} has no stored-payload check"
    # A clerk's fact type has input keys and a rule; a node's own has neither.
    assert bool(t.inputs) == (t.rule is not None), f"{name}: inputs without rule"
    targets = {spec.target for spec in t.inputs}
    assert targets <= payload | CONSUMED, f"{name} inputs fill unknown fields"
    assert len({spec.key for spec in t.inputs}) == len(t.inputs)
    assert set(t.required_targets) <= targets
    assert t.defaulted <= payload
    assert t.own_field is None or t.own_field in payload


@pytest.mark.parametrize("name", NAMES)
def test_correctable_fields_are_its_own_and_given_by_a_clerk(name: str) -> None:
    t = FACT_TYPES[name]
    # A correction parses its replacement with the corrected type's input keys.
    targets = {spec.target for spec in t.inputs}
    assert t.correctable <= targets, f"{name}: correctable fields no input gives"
    assert t.derived_on_correction <= set(payload_names(t.cls)) - targets
    assert t.nullable_on_correction <= t.correctable
    if not t.correctable:
        hooks = (t.revise, t.check_replacement, t.on_correction)
        assert hooks == (None, None, None), f"{name}: correction hooks, no fields"


@pytest.mark.parametrize("name", NAMES)
def test_view_extraction_holds_it_or_declares_it_not_viewed(name: str) -> None:
    places = [name in BY_TYPE, name in POLICY_TYPES, name in NOT_VIEWED]
    assert places.count(True) == 1, f"{name}: add it to projections/tables.py"


def test_view_extraction_names_only_known_fact_types() -> None:
    assert {*BY_TYPE, *POLICY_TYPES, *NOT_VIEWED} <= set(FACT_TYPES)


@pytest.mark.parametrize("catalogue", CATALOGUES)
@pytest.mark.parametrize("name", NAMES)
def test_docs_have_its_section_with_its_input_and_stored_fields(
    name: str, catalogue: str
) -> None:
    section = _section(name, catalogue)
    t = FACT_TYPES[name]
    missing = [
        key
        for key in (*payload_names(t.cls), *(s.key for s in t.inputs))
        if f"`{key}`" not in section
    ]
    assert not missing, f"{name} fields missing from its docs/{catalogue} section"
    if t.correctable:  # the corrections section lists each type's fields
        listed = re.search(rf"{name}( —|：)", _section("FactCorrected", catalogue))
        assert listed, name


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_docs_describe_no_fact_type_the_catalogue_lacks(catalogue: str) -> None:
    doc = (DOCS / catalogue).read_text(encoding="utf-8")
    documented = re.findall(r"^## (\w+) — ", doc, re.MULTILINE)
    assert sorted(documented) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_topic_is_the_journal_s_nested_class(name: str) -> None:
    cls = getattr(Journal, name)
    assert issubclass(cls, FACT_TYPES[name].cls)
    assert get_topic(cls) == f"domain.journal:Journal.{name}"
    assert fact_classes()[get_topic(cls)] is cls


def test_stored_topics_are_unchanged(corpus: Corpus) -> None:
    stored: set[str] = set()
    for node in (corpus.community, corpus.street):
        ledger = node.ledger
        for row in ledger.recorder.select_events(ledger.journal_id):
            stored.add(row.topic)
    # Check the corpus stores every fact type, each under its former topic.
    assert stored >= STORED_TOPICS
    assert fact_classes().keys() >= STORED_TOPICS

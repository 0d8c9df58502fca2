"""Audit diffs across business dates and knowledge instants: what changed, where, and
the facts that did it — named, with money per period."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidDateError, InvalidFieldError
from projections import audit_diff
from projections.models.audit_diff import GradeChange, Money, MoneyChange
from projections.span import Span
from service.node import open_views
from sync import runner
from sync.local import LocalPeer
from tests.projections.delivery import open_node
from tests.projections.periods import (
    EAST,
    END_2024,
    MID_2024,
    PAINTERS,
    PAINTERS_NAME,
    PROGRAM,
    STREET,
    YUAN,
    filed,
    paid,
    two_years,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store
    from projections.node_views import NodeViews

VICTORY_NAME = "胜利路社区"


@pytest.fixture
def street(store: Store) -> Iterator[NodeViews]:
    """招宝山街道 after two years of grades and subsidies."""
    node = open_node(store, STREET)
    node.ledger.record_many(list(enumerate(two_years())))
    views = open_views(store, node.ledger)
    yield views
    views.close()
    node.ledger.close()


def test_a_diff_across_business_dates_shows_a_grade_and_a_subsidy_come_in(
    street: NodeViews,
) -> None:
    before, after = street.span(Span(as_of_from=MID_2024, as_of_to=END_2024))
    assert before.pos == after.pos  # one knowledge instant on both sides
    found = street.diff(before, after)
    assert (found.node_name, found.from_.as_of, found.to.as_of) == (
        "招宝山街道", MID_2024, END_2024,
    )  # fmt: skip
    # Check the painters' new class moved them in their community's row.
    assert GradeChange(node="330211001002", node_name=VICTORY_NAME, scheme="class",
                       grade="二类", from_=0, to=1) in found.grades  # fmt: skip
    assert GradeChange(node="330211001002", node_name=VICTORY_NAME, scheme="class",
                       grade="三类", from_=1, to=0) in found.grades  # fmt: skip
    # Check the money changed for 2024 only, where the street decided it.
    assert found.money == [
        MoneyChange(node=STREET, node_name="招宝山街道", period="2024",
                    program=PROGRAM, tier="street",
                    from_=Money(count=1, total_fen=3500_00,
                                by_source={"street": 2100_00, "community": 1400_00}),
                    to=Money(count=2, total_fen=6000_00,
                             by_source={"street": 3600_00, "community": 2400_00})),
        MoneyChange(node=None, node_name=None, period="2024", program=None,
                    tier=None,
                    from_=Money(count=1, total_fen=3500_00,
                                by_source={"street": 2100_00, "community": 1400_00}),
                    to=Money(count=2, total_fen=6000_00,
                             by_source={"street": 3600_00, "community": 2400_00})),
    ]  # fmt: skip
    assert found.organizations == []  # nobody filed or closed in between
    facts = [(f.type, f.effective_on, f.org_name, f.org_number) for f in found.facts]
    assert facts == [
        ("GradeEvaluated", "2024-11-20", PAINTERS_NAME, PAINTERS),
        ("SubsidyDecided", "2024-12-15", PAINTERS_NAME, PAINTERS),
    ]
    grade, subsidy = found.facts
    assert (grade.origin_name, grade.grade and grade.grade.grade) == (
        "招宝山街道",
        "二类",
    )
    assert subsidy.subsidy is not None
    assert (subsidy.subsidy.period, subsidy.subsidy.amount_fen) == ("2024", 2500_00)


def test_a_diff_across_knowledge_instants_names_what_a_child_sent(
    store: Store,
) -> None:
    street = open_node(store, STREET)
    community = open_node(store, EAST)
    key = community.ledger.journal().public_key
    assert key is not None
    street.enroll(EAST, key)
    community.ledger.record_many(
        [(0, filed("城东备2024-007", "城东邻里互助会", EAST, "2024-04-01"))]
    )
    runner.pull(street, LocalPeer(community, STREET))
    between = datetime.now(UTC).isoformat()
    community.ledger.record_many(
        [(0, paid("城东备2024-007", "2024", 1200, "2024-09-01", "一类"))]
    )
    runner.pull(street, LocalPeer(community, STREET))
    views = open_views(store, street.ledger)
    try:
        asked = Span(as_of=END_2024, known_from=between,
                     known_to=datetime.now(UTC).isoformat())  # fmt: skip
        found = views.diff(*views.span(asked))
    finally:
        views.close()
        street.ledger.close()
        community.ledger.close()
    assert found.from_.known_at is not None
    assert found.from_.known_pos < found.to.known_pos
    [change, _total] = found.money
    assert (change.node, change.node_name, change.tier) == (
        EAST,
        "城东社区",
        "community",
    )
    assert (change.from_.total_fen, change.to.total_fen) == (0, 1200_00)
    [fact] = [f for f in found.facts if f.org_id]
    assert (fact.origin, fact.origin_name, fact.type) == (
        EAST,
        "城东社区",
        "SubsidyDecided",
    )
    assert (fact.org_name, fact.org_number) == ("城东邻里互助会", "城东备2024-007")


def test_a_revocation_lists_itself_and_the_decision_it_revised(
    store: Store,
) -> None:
    node = open_node(store, STREET)
    node.ledger.record_many(list(enumerate(two_years())))
    between = datetime.now(UTC).isoformat()
    node.ledger.record_many(
        [(0, ("SubsidyRevoked", {"decision_seq": 10, "effective_on": "2024-12-20",
                                 "reason": "重复申报"}))]
    )  # fmt: skip
    views = open_views(store, node.ledger)
    try:
        asked = Span(as_of=END_2024, known_from=between,
                     known_to=datetime.now(UTC).isoformat())  # fmt: skip
        found = views.diff(*views.span(asked))
    finally:
        views.close()
        node.ledger.close()
    listed = [(f.type, f.seq, f.revised, f.refers_to_seq) for f in found.facts]
    assert listed == [
        ("SubsidyRevoked", 11, False, 10),
        ("SubsidyDecided", 10, True, None),
    ]
    revised = found.facts[1].subsidy
    assert revised is not None
    assert revised.revoked_on == "2024-12-20"
    assert [(m.node, m.from_.total_fen, m.to.total_fen) for m in found.money] == [
        (STREET, 6000_00, 3500_00),
        (None, 6000_00, 3500_00),
    ]


@pytest.mark.parametrize(
    ("asked", "field", "says"),
    [
        (Span(), "as_of_from", "say what to compare"),
        (Span(as_of_from=MID_2024), "as_of_to", "give both as_of_from and as_of_to"),
        (Span(known_to="2025-01-01T00:00:00Z"), "from", "give both from and to"),
        (Span(as_of=MID_2024, as_of_from=MID_2024, as_of_to=END_2024), "as_of",
         "as_of stands for both sides"),
        (Span(known_at="2025-01-01T00:00:00Z", known_from="2025-01-01T00:00:00Z",
              known_to="2025-02-01T00:00:00Z"), "known_at", "known_at stands for"),
        (Span(as_of_from=END_2024, as_of_to=MID_2024), "as_of_from",
         "as_of_from 2024-12-31 is after as_of_to 2024-06-30"),
        (Span(known_from="2025-01-01T08:00:00+08:00",
              known_to="2024-12-31T23:59:59Z"), "from", "is after to"),
    ],
)  # fmt: skip
def test_a_span_that_compares_nothing_clearly_is_refused_naming_the_field(
    street: NodeViews, asked: Span, field: str, says: str
) -> None:
    with pytest.raises(InvalidFieldError, match=says) as found:
        street.span(asked)
    assert found.value.field == field


def test_a_bad_date_on_one_side_is_refused_naming_that_side(
    street: NodeViews,
) -> None:
    with pytest.raises(InvalidDateError, match="as_of_to '2024-02-30'") as found:
        street.span(Span(as_of_from=MID_2024, as_of_to="2024-02-30"))
    assert found.value.field == "as_of_to"


def test_a_wide_diff_lists_the_first_facts_and_counts_them_all(
    street: NodeViews, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_diff, "SHOWN_FACTS", 2)
    found = street.diff(*street.span(Span(as_of_from="2022-01-01", as_of_to=END_2024)))
    assert found.facts_total == len(two_years())  # all came into force in between
    assert [(f.type, f.effective_on) for f in found.facts] == [
        ("OrganizationFiled", "2022-03-01"),
        ("OrganizationFiled", "2022-05-01"),
    ]


@pytest.fixture(scope="module")
def street_years(module_store: Store) -> Iterator[NodeViews]:
    """招宝山街道 after two years, shared by a module's examples (read only)."""
    node = open_node(module_store, STREET)
    node.ledger.record_many(list(enumerate(two_years())))
    views = open_views(module_store, node.ledger)
    yield views
    views.close()
    node.ledger.close()


DAYS = st.dates(date(2021, 1, 1), date(2025, 12, 31)).map(date.isoformat)


@settings(max_examples=25)
@given(days=st.lists(DAYS, min_size=2, max_size=2).map(sorted))
def test_across_dates_the_facts_are_those_come_into_force_in_between(
    street_years: NodeViews, days: list[str]
) -> None:
    first, last = days
    found = street_years.diff(*street_years.span(Span(as_of_from=first, as_of_to=last)))
    came = [(t, d["effective_on"]) for t, d in two_years()
            if first < d["effective_on"] <= last]  # fmt: skip
    assert [(f.type, f.effective_on) for f in found.facts] == came
    # Check each period's total moved by exactly what was decided in between.
    paid = dict.fromkeys(YUAN, 0)
    for kind, data in two_years():
        if kind == "SubsidyDecided" and first < data["effective_on"] <= last:
            paid[data["period"]] += data["amount_fen"]
    moved = {m.period: m.to.total_fen - m.from_.total_fen
             for m in found.money if m.node is None}  # fmt: skip
    assert moved == {period: fen for period, fen in paid.items() if fen}

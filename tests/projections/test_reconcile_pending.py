"""Pending across tiers (issue 16): a finding that rests on a fact a descendant may
hold waits for that descendant, naming it, at its parent and at every ancestor — until
the node has heard from it since the fact the finding rests on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.factories import uscc
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store
    from projections.models.reconciliation import Finding
    from projections.view import Point

DISTRICT, STREET = "330211", "330211001"
C1, C2 = "330211001001", "330211001002"


class Tiers(Network):
    """镇海区, 招宝山街道 and two of its communities; the upper two with views."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, [DISTRICT, STREET, C1, C2])
        self.views = {code: self.node_views(code) for code in (STREET, DISTRICT)}

    def enter(self, code: str, fact_type: str, data: dict[str, Any]) -> int:
        """Record one fact at a node; its seq."""
        return self.nodes[code].ledger.record(fact_type, data).seq

    def file(self, community: str, number: str) -> None:
        """A community files an organization."""
        self.enter(community, "OrganizationFiled",
                   {"filing_number": number, "name": f"城东{number}队",
                    "category": "文体活动", "effective_on": "2022-05-01"})  # fmt: skip

    def register_upgrade(self, filing: str) -> None:
        """The street registers an organization from a community's filing (转登记)."""
        self.enter(STREET, "OrganizationRegistered",
                   {"uscc": uscc(5), "name": "城东文化协会",
                    "legal_form": "social_group", "upgraded_from": filing,
                    "community": C1, "effective_on": "2024-05-08"})  # fmt: skip

    def sync(self, *communities: str) -> None:
        """The street pulls the given communities; the district pulls the street."""
        for community in communities:
            self.pull(STREET, community)
        self.pull(DISTRICT, STREET)

    def findings(self, code: str, point: Point | None = None) -> list[Finding]:
        """A node's discrepancies at a point (now, by default)."""
        views = self.views[code]
        found = views.reconcile(point or views.point())
        assert found.pending + found.errors == len(found.discrepancies)
        return list(found.discrepancies)


@pytest.fixture
def tiers(store: Store) -> Iterator[Tiers]:
    built = Tiers(store)
    yield built
    built.close()


def outline(found: list[Finding]) -> list[tuple[str, str, list[str]]]:
    """Rule, status and awaited descendants of each finding."""
    return [(d.rule, d.status, d.awaiting) for d in found]


def register_before_the_community_syncs(tiers: Tiers) -> None:
    """The street registers from C1's filing 备1 before C1 has synced; C2 files
    afterwards and syncs, so only C1 is unheard since; the district takes it all."""
    tiers.register_upgrade(f"{C1}:备1")
    tiers.file(C2, "备9")
    tiers.sync(C2)


def test_an_upgrade_from_an_unsynced_filing_is_pending_at_street_and_district(
    tiers: Tiers,
) -> None:
    tiers.file(C1, "备1")  # recorded before the registration, not yet synced
    register_before_the_community_syncs(tiers)

    # Check the street waits for C1, and C1 only: C2 was heard from since.
    [r7] = tiers.findings(STREET)
    assert outline([r7]) == [("R7", "pending", [C1])]
    assert "a filing unknown here" in r7.message_en
    assert f"nothing yet from {C1}" in r7.message_en
    assert C1 in r7.message_zh
    # Check the district waits for C1 too, though it holds all of the street.
    district = tiers.nodes[DISTRICT].ledger.journal()
    assert district.origins[STREET]["seq"] == tiers.nodes[STREET].ledger.head().seq
    assert outline(tiers.findings(DISTRICT)) == [("R7", "pending", [C1])]

    tiers.sync(C1)

    # Check the filing, once held, settles it at both.
    assert tiers.findings(STREET) == []
    assert tiers.findings(DISTRICT) == []


def test_an_upgrade_from_a_filing_the_community_never_made_becomes_an_error(
    tiers: Tiers,
) -> None:
    register_before_the_community_syncs(tiers)
    views = tiers.views[DISTRICT]
    before = views.point()
    assert outline(tiers.findings(DISTRICT)) == [("R7", "pending", [C1])]

    tiers.file(C1, "备2")  # C1's news since the registration: no 备1 among it
    tiers.sync(C1)

    # Check both nodes now call it an error, awaiting no one.
    for code in (STREET, DISTRICT):
        assert outline(tiers.findings(code)) == [("R7", "error", [])]
    # Check the district, asked as it knew things before, still waits for C1.
    assert outline(tiers.findings(DISTRICT, before)) == [("R7", "pending", [C1])]


def test_news_older_than_the_registration_leaves_it_pending_until_a_newer_head(
    tiers: Tiers,
) -> None:
    tiers.file(C1, "备2")
    tiers.nodes[C1].checkpoint()  # C1 signs its head before the registration
    register_before_the_community_syncs(tiers)
    tiers.sync(C1)

    # Check all that arrived was recorded before the registration: 备1 may follow.
    assert outline(tiers.findings(STREET)) == [("R7", "pending", [C1])]

    tiers.nodes[C1].checkpoint(force=True)  # as `tierledger sync checkpoint` does
    tiers.sync(C1)

    # Check a head C1 signed since the registration, without 备1, settles it.
    assert outline(tiers.findings(STREET)) == [("R7", "error", [])]


def pay_citing_a_grade(tiers: Tiers) -> None:
    """The street pays C1's 备1 a grade-based subsidy citing 一类."""
    tiers.enter(STREET, "SubsidyDecided",
                {"org": f"{C1}:备1", "program": "日常活动补助", "period": "2024",
                 "amount_fen": 350_000, "grade_scheme": "class", "grade": "一类",
                 "shares_fen": {"street": 210_000, "community": 140_000},
                 "effective_on": "2024-03-15"})  # fmt: skip


def grade_at_c1(tiers: Tiers, grade: str) -> None:
    """C1 evaluates its 备1 before the decision date."""
    tiers.enter(C1, "GradeEvaluated",
                {"org": "备1", "scheme": "class", "grade": grade,
                 "effective_on": "2023-11-20"})  # fmt: skip


def test_a_subsidy_with_no_grade_held_waits_for_the_filing_community(
    tiers: Tiers,
) -> None:
    tiers.file(C1, "备1")
    tiers.sync(C1)
    grade_at_c1(tiers, "一类")  # not synced yet
    pay_citing_a_grade(tiers)
    tiers.sync()

    # Check R2 waits for C1, where the organization was filed; not for C2.
    for code in (STREET, DISTRICT):
        [r2] = tiers.findings(code)
        assert outline([r2]) == [("R2", "pending", [C1])]
        assert "no grade at all" in r2.message_en

    tiers.sync(C1)

    # Check C1's evaluation, once held, settles it at both.
    assert tiers.findings(STREET) == []
    assert tiers.findings(DISTRICT) == []


def test_a_subsidy_with_no_grade_is_an_error_once_the_community_has_spoken(
    tiers: Tiers,
) -> None:
    tiers.file(C1, "备1")
    tiers.sync(C1)
    pay_citing_a_grade(tiers)
    tiers.file(C1, "备2")  # C1's news since the decision: no evaluation
    tiers.sync(C1)

    for code in (STREET, DISTRICT):
        assert outline(tiers.findings(code)) == [("R2", "error", [])]


def test_a_held_grade_that_fails_the_decision_is_an_error_at_once(
    tiers: Tiers,
) -> None:
    tiers.file(C1, "备1")
    grade_at_c1(tiers, "不合格")
    tiers.sync(C1)
    pay_citing_a_grade(tiers)
    tiers.sync()

    # Check a finding resting on facts held does not wait, though C1 is silent.
    for code in (STREET, DISTRICT):
        assert outline(tiers.findings(code)) == [
            ("R2", "error", []),
            ("R3", "error", []),
        ]

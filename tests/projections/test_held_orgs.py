"""A node's rules see the organizations it holds through its descendants' facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from domain.codes import NodeCode
from domain.errors import OrganizationClosedError, UnknownOrganizationError
from projections.models.registry import SubsidyCount
from service.node import open_views
from sync import runner
from sync.local import LocalPeer
from tests.projections.delivery import synced

if TYPE_CHECKING:
    from infrastructure.stores import Store

COMMUNITY, STREET = "330211001001", "330211001"
ORG = f"{COMMUNITY}:备1"
GRADE = {"org": ORG, "scheme": "class", "grade": "二类", "effective_on": "2024-11-20"}


def test_a_bare_ledger_without_the_port_knows_only_its_own_organizations(
    store: Store,
) -> None:
    synced(store)
    bare = store.open_ledger(NodeCode(STREET))  # no HeldOrganizations given
    try:
        with pytest.raises(UnknownOrganizationError, match="unknown at node 3302110"):
            bare.record("GradeEvaluated", GRADE)
    finally:
        bare.close()


def test_a_node_grades_a_community_organization_whether_or_not_views_are_open(
    store: Store,
) -> None:
    _community, street = synced(store)
    assert street.ledger.held is not None  # given by the composition root
    graded = street.ledger.record("GradeEvaluated", GRADE)
    assert graded.org_id is not None


def test_a_street_grades_and_pays_a_community_organization(
    store: Store,
) -> None:
    _community, street = synced(store)
    views = open_views(store, street.ledger)
    graded = street.ledger.record("GradeEvaluated", GRADE)
    paid = street.ledger.record(
        "SubsidyDecided",
        {"org": ORG, "program": "日常活动补助", "period": "2024", "amount": "2500",
         "shares": {"street": "2500"}, "grade_scheme": "class", "grade": "二类",
         "effective_on": "2024-12-15"},
    )  # fmt: skip
    assert graded.org_id == paid.org_id
    org = views.registry(views.point(as_of="2024-12-31"))[0]
    assert org.grades["class"].by == STREET
    assert org.subsidies == SubsidyCount(count=1, total_fen=250_000)
    views.close()


def test_a_descendant_organization_closed_below_takes_no_more_money(
    store: Store,
) -> None:
    community, street = synced(store)
    community.ledger.record(
        "OrganizationDeregistered", {"org": "备1", "effective_on": "2024-10-01"}
    )
    runner.pull(street, LocalPeer(community, STREET))
    with pytest.raises(OrganizationClosedError, match="邻里互助会 was deregistered"):
        street.ledger.record("GradeEvaluated", GRADE)

"""Roll-ups count what the seed reports count, where they count it, at any date."""

from __future__ import annotations

import random
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest

from domain.codes import NodeCode
from domain.uscc import make_uscc
from service.node import open_views
from sync import runner
from sync.local import LocalPeer
from testdata.generator import community_codes
from tests.projections.delivery import open_node

if TYPE_CHECKING:
    from collections.abc import Iterator

    from domain.node_sync import NodeSync
    from infrastructure.stores import Store

DISTRICT = "330211"
SOCIAL_GROUPS, INSTITUTIONS, FILED = 146, 554, 2629  # 海曙区, June 2019


@pytest.fixture
def district(store: Store) -> Iterator[tuple[NodeSync, dict[str, Counter[str]]]]:
    """镇海区 with its real streets: the seed report's organizations, synced up."""
    rng = random.Random(2019)
    communities = community_codes()
    streets = sorted({c.value[:9] for c in communities})
    top = open_node(store, DISTRICT)
    expected: dict[str, Counter[str]] = {s: Counter() for s in streets}
    registrations = []
    for n in range(SOCIAL_GROUPS + INSTITUTIONS):
        form = "social_group" if n < SOCIAL_GROUPS else "social_service_institution"
        home = rng.choice(communities).value
        registrations.append((n, _registration(rng, form, home, n)))
        expected[home[:9]][form] += 1
    top.ledger.record_many(registrations)
    for street in streets:
        node = open_node(store, street)
        mine = [c.value for c in communities if c.value.startswith(street)]
        filings: list[tuple[int, tuple[str, Any]]] = []
        for _ in range(
            FILED // len(streets) + (street == streets[0]) * (FILED % len(streets))
        ):
            home = rng.choice(mine)
            filings.append((len(filings), _filing(street, home, len(filings))))
            expected[street]["filed"] += 1
        node.ledger.record_many(filings)
        key = node.ledger.journal().public_key
        assert key is not None
        top.enroll(street, key)
        runner.pull(top, LocalPeer(node, DISTRICT))
        node.ledger.close()
    yield top, expected
    top.ledger.close()


def _registration(rng: random.Random, form: str, home: str, n: int) -> tuple[str, Any]:
    category = "1" if form == "social_group" else "2"
    return "OrganizationRegistered", {
        "uscc": make_uscc(rng, category, DISTRICT),
        "name": f"宁波市镇海区登记组织{n}",
        "legal_form": form,
        "community": home,
        "effective_on": "2018-05-01",
    }


def _filing(street: str, home: str, n: int) -> tuple[str, Any]:
    return "OrganizationFiled", {
        "filing_number": f"镇民备{street}-{n:04d}",
        "name": f"备案组织{street}-{n}",
        "category": "公益慈善",
        "community": home,
        "effective_on": "2018-03-01",
    }


def test_the_district_rollup_reproduces_the_seed_figures_by_street(
    store: Store, district: tuple[NodeSync, dict[str, Counter[str]]]
) -> None:
    top, expected = district
    views = open_views(store, top.ledger)
    rollup = views.rollup(views.point(as_of="2019-06-30"))
    totals = rollup.totals.organizations
    assert totals.registered["social_group"] == SOCIAL_GROUPS
    assert totals.registered["social_service_institution"] == INSTITUTIONS
    assert totals.filed == FILED
    # Check every street's row holds exactly the organizations made for it.
    for child in rollup.children:
        counts = child.organizations
        want = expected[child.code]
        assert counts.filed == want["filed"], child.code
        assert counts.registered["social_group"] == want["social_group"]
        assert (
            counts.registered["social_service_institution"]
            == want["social_service_institution"]
        )
    assert {c.code for c in rollup.children} == set(expected)
    assert rollup.children[0].name == "招宝山街道"
    # Before anything was filed, the district counted nothing.
    before = views.rollup(views.point(as_of="2018-01-01"))
    assert before.totals.organizations.filed == 0
    views.close()


def test_a_community_rollup_counts_the_district_per_community(
    store: Store, district: tuple[NodeSync, dict[str, Counter[str]]]
) -> None:
    top, _ = district
    views = open_views(store, top.ledger)
    rollup = views.rollup(views.point(), communities=True)
    assert all(len(child.code) == 12 for child in rollup.children)
    assert rollup.totals.organizations.filed == FILED
    views.close()


def test_a_street_rolls_up_its_communities(store: Store) -> None:
    street = open_node(store, "330211001")
    street.ledger.record_many(
        [(n, _filing("330211001", home, n)) for n, home in enumerate(
            ["330211001001", "330211001001", "330211001002"]
        )]
    )  # fmt: skip
    views = open_views(store, street.ledger)
    rows = {c.code: c.organizations.filed for c in views.rollup(views.point()).children}
    assert rows == {"330211001001": 2, "330211001002": 1}
    views.close()
    street.ledger.close()


def test_node_code_lengths_are_what_the_rollup_groups_by() -> None:
    from projections.rollup import child_length

    assert child_length(NodeCode("330211")) == 9
    assert child_length(NodeCode("330211"), communities=True) == 12
    assert child_length(NodeCode("330211001")) == 12
    assert child_length(NodeCode("330211001001")) == 12

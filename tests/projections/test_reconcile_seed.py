"""Acceptance: the 招宝山街道 seed scenario reconciles clean, then exactly four
planted discrepancies are reported, each with its evidence, at street and district."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from testdata import seed
from tests.projections.seed_network import SeedNetwork

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store
    from projections.models.reconciliation import ReconciliationReport

C1, C2, C3 = seed.COMMUNITIES
ANOMALY_DAY = "2024-03-15"


@pytest.fixture
def network(store: Store) -> Iterator[SeedNetwork]:
    built = SeedNetwork(store)
    built.build()
    yield built
    built.close()


def test_the_seed_year_matches_the_report_and_reconciles_clean(
    network: SeedNetwork,
) -> None:
    views = network.views[seed.DISTRICT]
    orgs = views.registry(views.point(as_of="2023-12-31"))
    assert len(orgs) == 103
    classes = [o.grades["class"].grade for o in orgs]
    assert sum(c != "不合格" for c in classes) == 89
    assert classes.count("不合格") == 14
    paid = [o for o in orgs if o.subsidies.count]
    total = sum(o.subsidies.total_fen for o in paid)
    assert len(paid) == 89
    assert 130_000_00 <= total <= 140_000_00
    for node in (seed.STREET, seed.DISTRICT):
        found = network.reconcile(node, as_of="2024-12-31")
        assert found.discrepancies == [], found.discrepancies[:3]


def plant_the_four(network: SeedNetwork) -> dict[str, list[tuple[str, int]]]:
    """The four anomalies of the acceptance list; the evidence each must carry."""
    failed = seed.first("不合格", C1)
    r2 = network.record(
        C1, *seed.subsidy(seed.org_ref(failed), "1500", "2024", ANOMALY_DAY, None)
    )
    class3 = seed.first("三类")
    r1 = network.record(
        seed.STREET,
        *seed.subsidy(seed.org_ref(class3), "3500", "2024", ANOMALY_DAY, "三类"),
    )
    twice = seed.first("二类", C2)
    r4 = [
        network.record(
            node,
            *seed.subsidy(seed.org_ref(twice), "2500", "2024", ANOMALY_DAY, "二类"),
        )
        for node in (seed.STREET, C2)
    ]
    cited = seed.first("二类", C3)
    r3 = network.record(
        C3, *seed.subsidy(seed.org_ref(cited), "3500", "2024", ANOMALY_DAY, "一类")
    )
    network.sync()
    grade_seq = network.street_seqs  # evaluation n is the street's item n
    return {
        "R1": [(seed.STREET, r1)],
        "R2": [(C1, r2), (seed.STREET, grade_seq[failed])],
        "R3": [(C3, r3), (seed.STREET, grade_seq[cited])],
        "R4": sorted([(seed.STREET, r4[0]), (C2, r4[1])]),
    }


def evidence(found: ReconciliationReport) -> dict[str, list[tuple[str, int]]]:
    return {
        d.rule: sorted((e.origin, e.seq) for e in d.evidence)
        for d in found.discrepancies
    }


@pytest.mark.parametrize("node", [seed.STREET, seed.DISTRICT])
def test_exactly_the_four_planted_discrepancies_are_reported(
    network: SeedNetwork, node: str
) -> None:
    expected = plant_the_four(network)
    found = network.reconcile(node, as_of="2024-12-31")
    assert [d.rule for d in found.discrepancies] == ["R1", "R2", "R3", "R4"]
    assert evidence(found) == {rule: sorted(e) for rule, e in expected.items()}
    assert found.errors == 4
    assert found.pending == 0
    by_rule = {d.rule: d for d in found.discrepancies}
    assert "¥1000.00–2000.00" in by_rule["R1"].message_zh
    assert "不合格" in by_rule["R2"].message_zh
    assert "cites 一类" in by_rule["R3"].message_en
    assert "2 times" in by_rule["R4"].message_en


def test_before_the_anomalies_were_known_the_district_saw_none(
    network: SeedNetwork,
) -> None:
    views = network.views[seed.DISTRICT]
    before = views.point(as_of="2024-12-31")
    plant_the_four(network)
    assert views.reconcile(before).discrepancies == []
    assert len(network.reconcile(seed.DISTRICT, as_of="2024-12-31").discrepancies) == 4


def test_per_community_the_streets_own_decisions_are_the_streets_row(
    network: SeedNetwork,
) -> None:
    views = network.views[seed.DISTRICT]
    rollup = views.rollup(views.point(as_of="2023-12-31"), communities=True)
    rows = {c.code: c for c in rollup.children}
    assert set(rows) == {seed.STREET, *seed.COMMUNITIES}  # nothing on 330211's own
    paid = rows[seed.STREET].subsidies
    assert sum(s.count for s in paid) == 89
    assert sum(s.total_fen for s in paid) == 137_950_00
    assert rows[seed.STREET].name == "招宝山街道"
    filed = sum(rows[c].organizations.filed for c in seed.COMMUNITIES)
    assert filed == 103

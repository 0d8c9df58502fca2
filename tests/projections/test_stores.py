"""The store contract: the same behaviour on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from domain.errors import (
    BatchRejectedError,
    ConcurrentWriteError,
    DuplicateError,
    NodeExistsError,
    NodeNotFoundError,
)
from domain.ledger_store import LedgerStore
from tests.factories import COMMUNITY, filing, open_node, subsidy

SNAPSHOT_EVERY = LedgerStore.snapshot_interval

if TYPE_CHECKING:
    from infrastructure.stores import Store

CHINESE: dict[str, Any] = {
    "name": "城东社区“银龄”志愿服务队（试点）",
    "category": "公益慈善",
    "venue": "招宝山街道城东社区党群服务中心二楼",
    "guiding_unit": "招宝山街道社会组织服务中心",
    "responsible_person": {"name": "欧阳秀英", "phone": "13805741234"},
}


def test_facts_and_chinese_text_survive_a_reopen(store: Store) -> None:
    ledger = open_node(store)
    receipt = ledger.record("OrganizationFiled", filing("镇民备2024001号", **CHINESE))
    written = [f.payload() for f in ledger.facts()]
    ledger.close()

    reopened = store.open_ledger(COMMUNITY)
    # Check the facts read back equal the facts written, byte for byte in their hashes.
    assert [f.payload() for f in reopened.facts()] == written
    org, facts = reopened.organization("镇民备2024001号")
    assert org["name"] == CHINESE["name"]
    assert org["details"]["venue"] == CHINESE["venue"]
    assert facts[0].hash == receipt.hash
    assert reopened.verify().ok
    reopened.close()


def test_long_journals_reload_from_snapshots(store: Store) -> None:
    ledger = open_node(store)
    items = [
        (i, ("OrganizationFiled", filing(f"备{i:04d}", name=f"舞蹈队{i}")))
        for i in range(1, SNAPSHOT_EVERY + 201)
    ]
    ledger.record_many(items)
    expected_registry, expected_head = ledger.registry(), ledger.head()
    ledger.close()

    reopened = store.open_ledger(COMMUNITY)
    assert reopened.snapshots is not None
    snapshots = list(reopened.snapshots.get(reopened.journal_id))
    # One snapshot per batch save that crosses a multiple of the interval.
    assert [s.originator_version for s in snapshots] == [SNAPSHOT_EVERY + 201]
    assert reopened.head() == expected_head
    assert reopened.registry() == expected_registry
    reopened.record("OrganizationFiled", filing("备9999"))
    reopened.close()


def test_a_second_writer_meanwhile_is_read_and_each_fact_checked_again(
    store: Store,
) -> None:
    first, second = open_node(store), store.open_ledger(COMMUNITY)
    second.head()  # caches the journal at seq 1
    first.record("OrganizationFiled", filing("备1"))
    # Check the stale save collides, and the fact is checked again on the fresh one.
    assert second.record("OrganizationFiled", filing("备2")).seq == 3
    first.record("OrganizationFiled", filing("备3"))
    with pytest.raises(DuplicateError):
        second.record("OrganizationFiled", filing("备3", name="另一个名字"))
    # Check a refusal decided on a stale journal (nothing stored) is decided again.
    first.record("OrganizationFiled", filing("备4"))
    assert second.record("SubsidyDecided", subsidy("备4")).seq == 6
    assert first.verify().ok
    assert [f.seq for f in second.facts()] == [1, 2, 3, 4, 5, 6]
    first.close()
    second.close()


def test_a_second_writer_meanwhile_fails_a_batch_whole(store: Store) -> None:
    first, second = open_node(store), store.open_ledger(COMMUNITY)
    second.head()
    first.record("OrganizationFiled", filing("备1"))
    with pytest.raises(ConcurrentWriteError):
        second.record_many([(1, ("OrganizationFiled", filing("备2")))])
    # Check the retry sees the other writer's fact and succeeds.
    assert (
        second.record_many([(1, ("OrganizationFiled", filing("备2")))])[0][0].seq == 3
    )
    first.close()
    second.close()


def test_a_rejected_batch_records_nothing_and_leaves_the_node_usable(
    store: Store,
) -> None:
    ledger = open_node(store)
    items = [
        (1, ("OrganizationFiled", filing("备1"))),
        (2, ("SubsidyDecided", subsidy("备1") | {"amount_fen": -1})),
        (3, ("OrganizationFiled", filing("备2"))),
    ]
    with pytest.raises(BatchRejectedError) as caught:
        ledger.record_many(items)
    assert [number for number, _ in caught.value.problems] == [2]
    assert ledger.head().seq == 1
    assert ledger.registry() == []
    receipts, problems = ledger.record_many(items, partial=True)
    assert [r.seq for r in receipts] == [2, 3]
    assert len(problems) == 1
    ledger.close()


def test_opening_twice_and_unknown_nodes_are_refused(store: Store) -> None:
    ledger = open_node(store)
    with pytest.raises(NodeExistsError):
        ledger.open("again", None, "2020-01-02")
    ledger.close()
    with pytest.raises(NodeNotFoundError, match="tierledger init 330211001002"):
        store.open_ledger(COMMUNITY.__class__("330211001002"))

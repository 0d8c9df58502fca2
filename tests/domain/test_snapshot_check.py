"""Snapshots of an earlier state version load, verify, and are still checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from domain.snapshot_packing import MAGIC, pack_document, unpack_document
from tests.factories import COMMUNITY, filing, open_node
from tests.projections.tampering import Tamperer

if TYPE_CHECKING:
    from infrastructure.stores import Store

NUMBER = "镇民备2024001号"
DETAILS: dict[str, Any] = {
    "venue": "城东社区党群服务中心二楼",
    "responsible_person": {"name": "欧阳秀英", "phone": "13805741234"},
}


def _snapshotted(store: Store) -> tuple[int, dict[str, Any]]:
    """A node whose latest fact stored a snapshot; its seq and its document."""
    ledger = open_node(store)
    ledger.snapshot_interval = 1  # the next fact stores a snapshot
    ledger.record("OrganizationFiled", filing(NUMBER, **DETAILS))
    assert ledger.snapshots is not None
    stored = ledger.snapshots.recorder.select_events(
        ledger.journal_id, desc=True, limit=1
    )[0]
    ledger.close()
    return stored.originator_version, unpack_document(stored.state)


def _as_version_1(doc: dict[str, Any]) -> dict[str, Any]:
    """The snapshot as version 1 stored it (plain JSON, written by ``_replace``):
    each filing's details in the state."""
    state = doc["state"]
    assert state.pop("class_version") == 2
    for org in state["orgs"].values():
        assert "details" not in org
        org["details"] = dict(DETAILS)
    return doc


def _replace(store: Store, version: int, doc: dict[str, Any]) -> None:
    Tamperer(store, COMMUNITY).set_snapshot(version, orjson.dumps(doc))


def test_a_version_1_snapshot_loads_without_details_and_verifies(
    store: Store,
) -> None:
    version, doc = _snapshotted(store)
    _replace(store, version, _as_version_1(doc))

    reopened = store.open_ledger(COMMUNITY)
    assert reopened.verify().ok
    (org,) = reopened.journal().orgs.values()
    assert "details" not in org
    shown, _ = reopened.organization(NUMBER)
    assert shown["details"] == DETAILS
    assert reopened.record("OrganizationFiled", filing("镇民备2024002号")).seq == 3
    reopened.close()


def test_an_edited_version_1_snapshot_is_still_found(store: Store) -> None:
    version, doc = _snapshotted(store)
    doc = _as_version_1(doc)
    for org in doc["state"]["orgs"].values():
        org["name"] = "改过的名字"
    _replace(store, version, doc)

    reopened = store.open_ledger(COMMUNITY)
    (problem,) = reopened.verify().problems
    assert problem.seq == version
    assert "differs from the state its facts give (orgs)" in str(problem.reason)
    reopened.close()


def test_shown_details_are_the_filing_s_as_corrected(store: Store) -> None:
    ledger = open_node(store)
    filed = ledger.record("OrganizationFiled", filing(NUMBER, **DETAILS))
    person = {"name": "欧阳秀英", "phone": "13805749999"}
    ledger.record(
        "FactCorrected",
        {
            "corrects_seq": filed.seq,
            "reason": "电话变更",
            "replacement": {"responsible_person": person, "name": "城东银龄舞蹈队"},
        },
    )
    shown, facts = ledger.organization(NUMBER)
    assert shown["details"] == {**DETAILS, "responsible_person": person}
    assert (shown["name"], len(facts)) == ("城东银龄舞蹈队", 2)
    ledger.close()


def test_snapshots_are_stored_packed_and_a_damaged_one_is_found(store: Store) -> None:
    version, doc = _snapshotted(store)
    tamper = Tamperer(store, COMMUNITY)
    stored = tamper.snapshot_state()
    assert stored.startswith(MAGIC)
    assert len(stored) < len(orjson.dumps(doc))
    damaged = bytearray(pack_document(doc))
    damaged[len(damaged) // 2] ^= 0xFF
    tamper.set_snapshot(version, bytes(damaged))

    reopened = store.open_ledger(COMMUNITY, create=False)
    (problem,) = reopened.verify().problems
    assert (problem.seq, str(problem.reason)) == (
        version,
        "the stored snapshot cannot be read",
    )
    reopened.close()

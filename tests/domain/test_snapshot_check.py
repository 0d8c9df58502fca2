"""Snapshots of an earlier state version load, verify, and are still checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
import pytest
import zstandard

from domain import snapshot_packing
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
    _replace_bytes(store, version, orjson.dumps(doc))


def _replace_bytes(store: Store, version: int, state: bytes) -> None:
    tamper = Tamperer(store, COMMUNITY)
    tamper._run(
        "UPDATE {s} SET state = {p} WHERE originator_id = {p} "
        "AND originator_version = {p}",
        state,
        tamper._id(),
        version,
    )


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
    assert "differs from the state its facts give (orgs)" in problem.reason
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
    stored = tamper._run(
        "SELECT state FROM {s} WHERE originator_id = {p}", tamper._id(), fetch=True
    )[0][0]
    assert bytes(stored).startswith(MAGIC)
    assert len(stored) < len(orjson.dumps(doc))
    damaged = bytearray(pack_document(doc))
    damaged[len(damaged) // 2] ^= 0xFF
    _replace_bytes(store, version, bytes(damaged))

    reopened = store.open_ledger(COMMUNITY, create=False)
    (problem,) = reopened.verify().problems
    assert (problem.seq, problem.reason) == (
        version,
        "the stored snapshot cannot be read",
    )
    reopened.close()


def test_a_frame_claiming_too_much_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    huge = zstandard.ZstdCompressor().compress(b"{" + b" " * (1 << 20) + b"}")
    monkeypatch.setattr(snapshot_packing, "MAX_UNPACKED", 1 << 19)
    with pytest.raises(ValueError, match="claims"):
        unpack_document(huge)
    assert unpack_document(b'{"state": {"plain": true}}') == {"state": {"plain": True}}


def test_large_maps_are_written_a_chunk_per_line_and_read_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(snapshot_packing, "CHUNK", 3)
    orgs = {f"org-{n}": {"name": f"第{n}个组织", "facts": [n]} for n in range(8)}
    doc = {"topic": "t", "state": {"orgs": orgs, "keys": {"a": "b"}, "node": "x"}}
    packed = pack_document(doc)
    lines = zstandard.ZstdDecompressor().stream_reader(packed).read().splitlines()
    assert orjson.loads(lines[0])["chunked"] == ["orgs"]
    assert [len(orjson.loads(line)[1]) for line in lines[1:]] == [3, 3, 2]
    read = unpack_document(packed)
    assert read == doc
    assert list(read["state"]) == ["orgs", "keys", "node"]
    assert list(read["state"]["orgs"]) == list(orgs)


def _packed_lines(*lines: bytes) -> bytes:
    """Lines packed as a node packs them, with no size in the frame."""
    compressor = zstandard.ZstdCompressor(write_checksum=True).compressobj()
    return compressor.compress(b"".join(lines)) + compressor.flush()


@pytest.mark.parametrize(
    "lines",
    [
        # A line adding to a map the head did not name as chunked.
        (b'{"state":{"orgs":{}},"chunked":["orgs"]}\n', b'["keys",{"a":1}]\n'),
        # A last line cut short.
        (b'{"state":{"orgs":{}},"chunked":["orgs"]}\n', b'["orgs",{"a":1}]'),
        # A line that is not a key and a chunk.
        (b'{"state":{"orgs":{}},"chunked":["orgs"]}\n', b'["orgs"]\n'),
        # A state that is not a map.
        (b'{"state":[],"chunked":[]}\n',),
        # No lines at all.
        (),
    ],
)
def test_a_malformed_chunked_document_is_refused(lines: tuple[bytes, ...]) -> None:
    with pytest.raises(ValueError, match="snapshot"):
        unpack_document(_packed_lines(*lines))


def test_a_frame_unpacking_to_too_much_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    head = b'{"state":{"orgs":{}},"chunked":["orgs"]}\n'
    line = b'["orgs",{"a":"' + b"x" * 4000 + b'"}]\n'
    packed = _packed_lines(head, *[line] * 300)
    assert len(packed) < 10_000
    monkeypatch.setattr(snapshot_packing, "MAX_UNPACKED", 1 << 20)
    with pytest.raises(ValueError, match="more than a node writes"):
        unpack_document(packed)
    monkeypatch.setattr(snapshot_packing, "MAX_UNPACKED", 4 << 30)
    monkeypatch.setattr(snapshot_packing, "MAX_LINE", 1000)
    with pytest.raises(ValueError, match="more than a node writes"):
        unpack_document(packed)

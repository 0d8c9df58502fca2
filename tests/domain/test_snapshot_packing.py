"""Snapshot documents: written a chunk per line, read back whole, bad ones refused;
values repeated across organizations kept once when a node reads its snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
import pytest
import zstandard

from domain import snapshot_packing
from domain.snapshot_packing import pack_document, unpack_document
from tests.factories import COMMUNITY, filing, open_node

if TYPE_CHECKING:
    from infrastructure.stores import Store


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
        # A chunk given as a list of pairs (which a map would still take).
        (b'{"state":{"orgs":{}},"chunked":["orgs"]}\n', b'["orgs",[["a",1]]]\n'),
        # Maps named as chunked that the head does not leave empty, or by a string.
        (b'{"state":{"orgs":{"a":1}},"chunked":["orgs"]}\n', b'["orgs",{"b":1}]\n'),
        (b'{"state":{"orgs":{}},"chunked":"orgs"}\n', b'["orgs",{"b":1}]\n'),
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


def _orgs_document(count: int) -> dict[str, Any]:
    orgs = {
        f"org-{n}": {"org_id": f"org-{n}", "name": "组织" * 20} for n in range(count)
    }
    return {"topic": "t", "state": {"orgs": orgs, "node": "330211001"}}


@pytest.mark.parametrize("cut", [1, 3, 4, 100])
def test_a_frame_cut_short_is_refused(cut: int) -> None:
    packed = pack_document(_orgs_document(2000))
    assert unpack_document(packed) == _orgs_document(2000)
    with pytest.raises(ValueError, match="cut short"):
        unpack_document(packed[:-cut])


def test_a_frame_without_its_end_is_refused() -> None:
    compressor = zstandard.ZstdCompressor(write_checksum=True).compressobj()
    head = b'{"state":{"orgs":{}},"chunked":["orgs"]}\n'
    # Whole blocks, each line complete, but the frame never ends.
    packed = compressor.compress(head) + compressor.flush(
        zstandard.COMPRESSOBJ_FLUSH_BLOCK
    )
    with pytest.raises(ValueError, match="cut short"):
        unpack_document(packed)


@pytest.mark.parametrize(
    "more",
    [b"\x00", pack_document({"topic": "t", "state": {"orgs": {}}})],
    ids=["a byte", "a second frame"],
)
def test_a_frame_followed_by_more_is_refused(more: bytes) -> None:
    with pytest.raises(ValueError, match="snapshot"):
        unpack_document(pack_document(_orgs_document(600)) + more)


def test_a_node_reading_its_snapshot_keeps_repeated_values_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_packing, "CHUNK", 2)
    ledger = open_node(store)
    for n in range(1, 6):
        ledger.record("OrganizationFiled", filing(f"镇民备202400{n}号"))
    ledger.snapshot_interval = 1  # the next fact stores a snapshot
    ledger.record("OrganizationFiled", filing("镇民备2024006号"))
    assert ledger.snapshots is not None
    (stored,) = ledger.snapshots.recorder.select_events(
        ledger.journal_id, desc=True, limit=1
    )
    assert stored.originator_version == 7  # the journal below is read from it
    ledger.close()

    reopened = store.open_ledger(COMMUNITY, create=False)
    journal = reopened.journal()
    orgs = list(journal.orgs.items())
    assert len(orgs) == 6
    first, second = orgs[0][1], orgs[1][1]
    assert first["community"] == second["community"]
    assert first["community"] is second["community"]
    assert first["status"] is second["status"]
    for org_id, org in orgs:
        assert org["org_id"] is org_id
        assert journal.filings[str(org["filing_number"])] is org_id
    for ref in journal.refs.values():
        assert ref["org_id"] in journal.orgs
        assert ref["org_id"] is next(k for k in journal.orgs if k == ref["org_id"])
    assert reopened.verify().ok
    reopened.close()

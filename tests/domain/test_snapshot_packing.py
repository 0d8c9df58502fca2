"""Snapshot documents: written a chunk per line, read back whole, bad ones refused;
values repeated across organizations kept once when a node reads its snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

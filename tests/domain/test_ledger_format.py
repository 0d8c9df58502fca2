"""The worked example in docs/ledger-format.md recomputes, independently of our code."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from domain.canonical import GENESIS_HASH, canonical_bytes, chain_hash
from domain.codes import NodeCode
from domain.identity import org_id_for_filing

DOC = Path(__file__).parents[2] / "docs" / "ledger-format.md"


def example() -> tuple[list[bytes], list[str]]:
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)\n```", text, re.S)
    hashes = re.findall(r"`([0-9a-f]{64})`", text)
    return [b.encode("utf-8") for b in blocks], hashes


def test_documented_hashes_recompute_with_plain_hashlib() -> None:
    blocks, hashes = example()
    first = hashlib.sha256(b"0" * 64 + blocks[0]).hexdigest()
    second = hashlib.sha256(first.encode("ascii") + blocks[1]).hexdigest()
    third = hashlib.sha256(second.encode("ascii") + blocks[2]).hexdigest()
    assert [first, second, third] == hashes[:3]


def test_documented_bytes_are_what_our_encoder_produces() -> None:
    blocks, hashes = example()
    for block in blocks:
        doc = json.loads(block)
        ours = canonical_bytes(
            doc["node"],
            doc["seq"],
            doc["type"],
            doc["payload"],
            doc["recorded_at"],
            actor=doc.get("actor"),
        )
        assert ours == block
    assert chain_hash(GENESIS_HASH, blocks[0]) == hashes[0]


def test_documented_third_fact_alone_names_its_actor() -> None:
    blocks, _ = example()
    assert [json.loads(b).get("actor") for b in blocks] == [
        None,
        None,
        "token:1a2b3c4d",
    ]


def test_documented_org_id_is_derived_from_the_filing() -> None:
    blocks, _ = example()
    payload = json.loads(blocks[1])["payload"]
    node = NodeCode("330211001001")
    assert payload["org_id"] == str(org_id_for_filing(node, payload["filing_number"]))

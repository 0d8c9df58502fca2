"""The canonical encoding of facts and the hash chain over it.

Specified for third parties in docs/ledger-format.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of a journal's first fact."""


def canonical_bytes(
    node: str,
    seq: int,
    fact_type: str,
    payload: Mapping[str, object],
    recorded_at: str,
    *,
    check: bool = True,
) -> bytes:
    """Deterministic UTF-8 JSON of one fact: sorted keys, no spaces, no floats."""
    if check:
        _check_json_safe(payload, "payload")
    document = {
        "node": node,
        "payload": payload,
        "recorded_at": recorded_at,
        "seq": seq,
        "type": fact_type,
    }
    text = json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return text.encode("utf-8")


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """SHA-256 over the previous hash (64 hex characters, ASCII) then the fact."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def _check_json_safe(value: object, path: str) -> None:
    # Floats have no single canonical text form, so money and counts are integers.
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path} has a non-text key {key!r}")
            _check_json_safe(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check_json_safe(item, f"{path}[{index}]")
        return
    raise TypeError(f"{path} holds {type(value).__name__}, which has no canonical form")

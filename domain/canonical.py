"""The canonical encoding of facts and the hash chain over it.

Specified for third parties in docs/ledger-format.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TypeGuard

import orjson

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of a journal's first fact."""
INT64 = 2**63
"""orjson encodes integers within 64 bits only; facts never need more."""
MAX_SEQ = 2**63 - 1
"""The largest seq or position a fact may name: the stores keep them in 64 bits."""
_HEX_DIGITS = "0123456789abcdef"


def is_hex64(value: object) -> TypeGuard[str]:
    """A SHA-256 digest as facts write it: 64 lower-case hex digits."""
    return isinstance(value, str) and len(value) == 64 and not value.strip(_HEX_DIGITS)


def canonical_bytes(
    node: str,
    seq: int,
    fact_type: str,
    payload: Mapping[str, object],
    recorded_at: str,
    *,
    actor: str | None = None,
    check: bool = True,
) -> bytes:
    """Deterministic UTF-8 JSON of one fact: sorted keys, no spaces, no floats.

    Byte for byte ``json.dumps(doc, ensure_ascii=False, sort_keys=True,
    separators=(",", ":")).encode()``, a dozen times faster (orjson; the equality is
    a property test). ``actor`` is a key only when the fact names one: facts kept
    before actors were (decision 0035) encode as they always did.
    """
    if check:
        check_json_safe(payload, "payload")
    document: dict[str, object] = {
        "node": node,
        "payload": payload,
        "recorded_at": recorded_at,
        "seq": seq,
        "type": fact_type,
    }
    if actor is not None:
        document["actor"] = actor
    # orjson's result keeps the 4 KiB buffer it wrote into; a fact keeps its bytes
    # until stored, so an import of 10 000 would hold 40 MiB: keep an exact copy.
    return memoryview(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).tobytes()


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    """SHA-256 over the previous hash (64 hex characters, ASCII) then the fact."""
    return hashlib.sha256(prev_hash.encode("ascii") + canonical).hexdigest()


def check_json_safe(value: object, path: str) -> None:
    """Raise TypeError unless ``value`` has a canonical form (no floats, say)."""
    # Floats have no single canonical text form, so money and counts are integers.
    kind = type(value)
    if kind is str or value is None or kind is bool:
        return
    if kind is int:
        if not -INT64 <= value < INT64:  # type: ignore[operator]
            raise TypeError(f"{path} is an integer beyond 64 bits")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError(f"{path} has a non-text key {key!r}")
            if type(item) is not str:  # text needs no look; the rest does
                check_json_safe(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            check_json_safe(item, f"{path}[{index}]")
        return
    if isinstance(value, str | int) and not isinstance(value, float):
        return check_json_safe(
            str(value) if isinstance(value, str) else int(value), path
        )
    raise TypeError(f"{path} holds {kind.__name__}, which has no canonical form")

"""Facts as they travel between nodes: canonical fields plus their chain links.

A fact document is the JSON object ``{"node", "seq", "type", "payload", "recorded_at",
"prev_hash", "hash"}`` — exactly what the hash covers, so any receiver can verify it
without trusting the sender's store or serialisation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from domain.canonical import check_json_safe
from domain.codes import NodeCode
from domain.errors import InputError, MalformedFactError
from domain.facts import Fact, build_fact, payload_names
from domain.identity import journal_id
from domain.journal import Journal
from domain.values import utc_instant

DOCUMENT_KEYS = frozenset(
    {"node", "seq", "type", "payload", "recorded_at", "prev_hash", "hash"}
)
_HEX64 = re.compile(r"[0-9a-f]{64}")


def to_document(fact: Fact) -> dict[str, Any]:
    """The document of a stored fact."""
    return {
        "node": fact.node,
        "seq": fact.seq,
        "type": fact.fact_type,
        "payload": fact.payload(),
        "recorded_at": fact.recorded_at,
        "prev_hash": fact.prev_hash,
        "hash": fact.hash,
    }


def from_document(doc: object) -> Fact:
    """Rebuild the fact a document describes; refuse anything malformed by name."""
    if not isinstance(doc, Mapping) or set(doc) != DOCUMENT_KEYS:
        raise MalformedFactError(
            f"a fact document has exactly the keys {sorted(DOCUMENT_KEYS)}"
        )
    where = f"fact {doc.get('node')!s}/{doc.get('seq')!s}"
    cls = _fact_class(doc["type"], where)
    payload = doc["payload"]
    if not isinstance(payload, Mapping) or set(payload) != set(payload_names(cls)):
        raise MalformedFactError(f"{where}: payload fields do not match {doc['type']}")
    try:
        check_json_safe(payload, "payload")
    except TypeError as error:
        raise MalformedFactError(f"{where}: {error}") from None
    try:
        node = NodeCode.parse(doc["node"])
    except InputError as error:
        raise MalformedFactError(f"{where}: {error.message}") from None
    seq = doc["seq"]
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise MalformedFactError(f"{where}: seq must be a positive integer")
    for key in ("prev_hash", "hash"):
        if not isinstance(doc[key], str) or not _HEX64.fullmatch(doc[key]):
            raise MalformedFactError(f"{where}: {key} must be 64 lower-case hex digits")
    timestamp = _instant(doc["recorded_at"], where)
    return build_fact(
        cls,
        journal_id(node),
        seq,
        timestamp,
        {
            "node": node.value,
            "prev_hash": doc["prev_hash"],
            "hash": doc["hash"],
            **payload,
        },
    )


def _fact_class(name: object, where: str) -> type[Fact]:
    found = getattr(Journal, name, None) if isinstance(name, str) else None
    if not (isinstance(found, type) and issubclass(found, Fact)):
        raise MalformedFactError(f"{where}: unknown fact type {name!r}")
    return found


def _instant(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise MalformedFactError(f"{where}: recorded_at must be text")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise MalformedFactError(
            f"{where}: recorded_at {value!r} is not an instant"
        ) from None
    if moment.tzinfo is None or utc_instant(moment) != value:
        raise MalformedFactError(
            f"{where}: recorded_at must be UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ"
        )
    return moment

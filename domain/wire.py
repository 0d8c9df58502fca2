"""Facts as they travel between nodes: canonical fields plus their chain links.

A fact document is the JSON object ``{"node", "seq", "type", "payload", "recorded_at",
"prev_hash", "hash"}`` — exactly what the hash covers, so any receiver can verify it
without trusting the sender's store or serialisation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.canonical import canonical_bytes, check_json_safe
from domain.codes import NodeCode
from domain.errors import InputError, MalformedFactError
from domain.facts import CANONICAL_CACHE, Fact, build_fact, payload_names
from domain.identity import journal_id
from domain.journal import Journal
from domain.values import utc_instant

if TYPE_CHECKING:
    from uuid import UUID

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
    if not isinstance(doc, dict | Mapping) or doc.keys() != DOCUMENT_KEYS:
        raise MalformedFactError(
            f"a fact document has exactly the keys {sorted(DOCUMENT_KEYS)}"
        )
    where = _Where(doc)
    cls = _fact_class(doc["type"], where)
    payload = doc["payload"]
    if not isinstance(payload, dict | Mapping) or payload.keys() != _payload_keys(cls):
        raise MalformedFactError(f"{where}: payload fields do not match {doc['type']}")
    try:
        check_json_safe(payload, "payload")
    except TypeError as error:
        raise MalformedFactError(f"{where}: {error}") from None
    try:
        text = doc["node"]
        node = _node(text) if isinstance(text, str) else NodeCode.parse(text)
    except InputError as error:
        raise MalformedFactError(f"{where}: {error.message}") from None
    seq = doc["seq"]
    if type(seq) is not int or seq < 1:
        raise MalformedFactError(f"{where}: seq must be a positive integer")
    for key in ("prev_hash", "hash"):
        if not isinstance(doc[key], str) or not _HEX64.fullmatch(doc[key]):
            raise MalformedFactError(f"{where}: {key} must be 64 lower-case hex digits")
    timestamp = _instant(doc["recorded_at"], where)
    fact = build_fact(
        cls,
        _journal_id(node.value),
        seq,
        timestamp,
        {
            "node": node.value,
            "prev_hash": doc["prev_hash"],
            "hash": doc["hash"],
            **payload,
        },
    )
    # Checked above: encode once, for the hash check and for the store alike.
    canonical = canonical_bytes(
        node.value, seq, cls.__name__, payload, doc["recorded_at"], check=False
    )
    object.__setattr__(fact, CANONICAL_CACHE, canonical)
    return fact


class _Where:
    """Names a document in error messages; formatted only when an error is raised."""

    def __init__(self, doc: Mapping[str, object]) -> None:
        self.doc = doc

    def __str__(self) -> str:
        return f"fact {self.doc.get('node')!s}/{self.doc.get('seq')!s}"


@functools.cache
def _payload_keys(cls: type[Fact]) -> frozenset[str]:
    return frozenset(payload_names(cls))


@functools.lru_cache(maxsize=4096)
def _journal_id(node: str) -> UUID:
    return journal_id(NodeCode(node))


@functools.lru_cache(maxsize=4096)
def _node(text: str) -> NodeCode:
    return NodeCode.parse(text)


def _fact_class(name: object, where: object) -> type[Fact]:
    found = getattr(Journal, name, None) if isinstance(name, str) else None
    if not (isinstance(found, type) and issubclass(found, Fact)):
        raise MalformedFactError(f"{where}: unknown fact type {name!r}")
    return found


def _instant(value: object, where: object) -> datetime:
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

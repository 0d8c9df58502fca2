"""Facts as they travel between nodes: canonical fields plus their chain links.

A fact document is the JSON object ``{"node", "seq", "type", "payload", "recorded_at",
"prev_hash", "hash"}``, with ``"actor"`` when the fact names who recorded it —
exactly what the hash covers, so any receiver can verify it without trusting the
sender's store or serialisation.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from domain.canonical import canonical_bytes
from domain.codes import NodeCode
from domain.facts import CANONICAL_CACHE, Fact, build_fact
from domain.identity import journal_id
from domain.journal import Journal
from domain.messages import Text
from domain.shape import (
    DOCUMENT_KEYS,
    MAX_FACT_BYTES,
    Where,
    check_shape,
    fact_size,
    refuse,
)
from domain.stored_check import check_stored_payload

if TYPE_CHECKING:
    from uuid import UUID

__all__ = ["DOCUMENT_KEYS", "from_document", "to_document"]


def to_document(fact: Fact) -> dict[str, Any]:
    """The document of a stored fact."""
    doc = {
        "node": fact.node,
        "seq": fact.seq,
        "type": fact.fact_type,
        "payload": fact.payload(),
        "recorded_at": fact.recorded_at,
        "prev_hash": fact.prev_hash,
        "hash": fact.hash,
    }
    if fact.actor is not None:
        doc["actor"] = fact.actor
    return doc


def from_document(doc: object) -> Fact:
    """Rebuild the fact a document describes; refuse anything malformed by field.

    Its structure first (``domain.shape``), then its payload as strictly as a clerk's
    input (``domain.stored_check``), then its size once encoded.
    """
    shape = check_shape(doc)
    payload = shape.payload
    node, seq, fact_type = shape.node.value, shape.seq, shape.fact_type
    check_stored_payload(fact_type, node, seq, payload, shape.recorded_at)
    assert isinstance(doc, Mapping)
    fact = build_fact(
        _fact_class(fact_type),
        _journal_id(node),
        seq,
        shape.timestamp,
        {
            "node": node,
            "prev_hash": doc["prev_hash"],
            "hash": doc["hash"],
            "actor": shape.actor,
            **payload,
        },
    )
    # Checked above: encode once, for the hash check and for the store alike.
    canonical = canonical_bytes(
        node, seq, fact_type, payload, shape.recorded_at, actor=shape.actor, check=False
    )
    if fact_size(shape, canonical) > MAX_FACT_BYTES:
        raise refuse(
            Where(doc),
            "payload",
            Text("the fact is larger than {limit} bytes", limit=MAX_FACT_BYTES),
        )
    object.__setattr__(fact, CANONICAL_CACHE, canonical)
    return fact


@functools.lru_cache(maxsize=4096)
def _journal_id(node: str) -> UUID:
    return journal_id(NodeCode(node))


@functools.cache
def _fact_class(name: str) -> type[Fact]:
    """The journal's own class of a fact type (its stored topic names it)."""
    found: type[Fact] = getattr(Journal, name)
    return found

"""What a dishonest relay (or an origin signing two histories) can do to documents."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from domain.canonical import GENESIS_HASH
from domain.facts import SPAN_DIGITS
from domain.ports import checkpoint_message
from domain.wire import from_document

if TYPE_CHECKING:
    from collections.abc import Iterable

    from domain.ports import Signer


def rechain(
    documents: Iterable[dict[str, Any]],
    prev_hash: str = GENESIS_HASH,
    signer: Signer | None = None,
) -> list[dict[str, Any]]:
    """Copies of one origin's consecutive documents, linked from ``prev_hash`` with
    every hash recomputed — and, given a signer, every checkpoint signed again over
    the facts before it (the first documents are taken to follow a checkpoint)."""
    linked: list[dict[str, Any]] = []
    span = ""
    for document in documents:
        doc = copy.deepcopy(document)
        doc["prev_hash"] = prev_hash
        if signer is not None and doc["type"] == "Checkpoint":
            payload = doc["payload"]
            payload["signed_seq"], payload["signed_hash"] = doc["seq"] - 1, prev_hash
            payload["span"], span = span, ""
            message = checkpoint_message(
                doc["node"],
                doc["seq"] - 1,
                prev_hash,
                doc["recorded_at"],
                payload["effective_on"],
                payload["span"],
            )
            payload["signature"] = signer.sign(message)
        doc["hash"] = from_document(doc).recomputed_hash()
        prev_hash = doc["hash"]
        if doc["type"] != "Checkpoint":
            span += prev_hash[:SPAN_DIGITS]
        linked.append(doc)
    return linked


def of_origin(batch: list[dict[str, Any]], origin: str) -> list[dict[str, Any]]:
    """The documents of one origin, in batch order."""
    return [d for d in batch if d["node"] == origin]

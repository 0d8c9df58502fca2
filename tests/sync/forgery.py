"""What a dishonest relay (or an origin signing two histories) can do to documents."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from domain.canonical import GENESIS_HASH, canonical_bytes, chain_hash
from domain.facts import SPAN_DIGITS
from domain.key_text import PUBLIC_KEY_BYTES, decode_base64, key_fingerprint
from domain.ports import checkpoint_message

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
        doc["hash"] = content_hash(doc)
        prev_hash = doc["hash"]
        if doc["type"] != "Checkpoint":
            span += prev_hash[:SPAN_DIGITS]
        linked.append(doc)
    return linked


def content_hash(doc: dict[str, Any]) -> str:
    """The hash a document's content and prev_hash make (no other check: a forger
    need not pass one)."""
    canonical = canonical_bytes(
        doc["node"], doc["seq"], doc["type"], doc["payload"], doc["recorded_at"],
        actor=doc.get("actor"), check=False,
    )  # fmt: skip
    return chain_hash(doc["prev_hash"], canonical)


def stored_bytes(doc: dict[str, Any]) -> bytes:
    """A document as the store keeps it: its chain links, then its canonical bytes."""
    canonical = canonical_bytes(
        doc["node"], doc["seq"], doc["type"], doc["payload"], doc["recorded_at"],
        actor=doc.get("actor"), check=False,
    )  # fmt: skip
    links = f'{{"hash":"{doc["hash"]}","prev_hash":"{doc["prev_hash"]}",'
    return links.encode("ascii") + canonical[1:]


def forged_enrolment(enrolment: dict[str, Any], public_key: str) -> dict[str, Any]:
    """A copy of a ChildEnrolled document naming another key (and its fingerprint)."""
    forged = copy.deepcopy(enrolment)
    forged["payload"]["public_key"] = public_key
    raw = decode_base64(public_key, PUBLIC_KEY_BYTES, "key")
    forged["payload"]["fingerprint"] = key_fingerprint(raw)
    return forged


def of_origin(batch: list[dict[str, Any]], origin: str) -> list[dict[str, Any]]:
    """The documents of one origin, in batch order."""
    return [d for d in batch if d["node"] == origin]

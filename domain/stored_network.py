"""Stored payloads of the genesis fact and the network facts, as their nodes write them.

No clerk types these: a node's journal derives them from its code, its keys and its
sync. Each field must be what that derivation can give — codes in their canonical
form and where the tree puts them, keys and signatures in canonical base64, hashes in
lower-case hex, seqs and positions within 64 bits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from domain.errors import InvalidFieldError
from domain.facts import SPAN_DIGITS
from domain.key_text import (
    PUBLIC_KEY_BYTES,
    SIGNATURE_BYTES,
    decode_base64,
    key_fingerprint,
)
from domain.stored_fields import (
    Stored,
    derived,
    refusing,
    same,
    stored_below,
    stored_code,
    stored_count,
    stored_hex,
)
from domain.text import parse_text

if TYPE_CHECKING:
    from collections.abc import Callable

Payload = Mapping[str, Any]
TRANSPORTS = ("pull", "push", "bundle")
NAME_LENGTH = 100
"""A node's name, as ``tierledger init`` takes it."""
NOTE_LENGTH = 500
"""An operator's note closing a fork report."""


def _opened(p: Payload, stored: Stored) -> None:
    name = p["node_name"]
    same(lambda v, f: parse_text(v, f, max_len=NAME_LENGTH), name, "payload.node_name")
    derived("payload.tier", p["tier"], stored.node.tier)
    parent = stored.node.parent
    derived("payload.parent", p["parent"], parent.value if parent else None)
    if p["public_key"] is not None:
        _key(p["public_key"], "payload.public_key")


def _enrolled(p: Payload, stored: Stored) -> None:
    child = stored_code(p["child"], "payload.child")
    if child.parent != stored.node:
        raise InvalidFieldError(
            f"payload.child {child} is not a direct child of {stored.node}",
            field="payload.child",
        )
    raw = _key(p["public_key"], "payload.public_key")
    derived("payload.fingerprint", p["fingerprint"], key_fingerprint(raw))


def _checkpoint(p: Payload, stored: Stored) -> None:
    derived("payload.signed_seq", p["signed_seq"], stored.seq - 1)
    stored_hex(p["signed_hash"], "payload.signed_hash")
    _span(p["span"], stored.seq)
    with refusing("payload.signature"):
        decode_base64(p["signature"], SIGNATURE_BYTES, "payload.signature")


_SPAN = re.compile(f"(?:[0-9a-f]{{{SPAN_DIGITS}}})*")


def _span(span: object, seq: int) -> None:
    """Hash prefixes of at most the facts before the checkpoint, lower-case hex."""
    field = "payload.span"
    if not (
        isinstance(span, str)
        and len(span) // SPAN_DIGITS < seq
        and _SPAN.fullmatch(span)
    ):
        raise InvalidFieldError(
            f"{field} must be {SPAN_DIGITS} lower-case hex digits per fact since "
            f"the previous checkpoint",
            field=field,
        )


def _received(p: Payload, stored: Stored) -> None:
    origin = stored_below(p["origin"], "payload.origin", stored)
    via = stored_code(p["via"], "payload.via")
    if not (stored.node.contains(via) and via.contains(origin)):
        raise InvalidFieldError(
            f"payload.via {via} is not between {stored.node} and {origin}",
            field="payload.via",
        )
    low = stored_count(p["from_seq"], "payload.from_seq")
    high = stored_count(p["to_seq"], "payload.to_seq", minimum=low)
    stored_hex(p["head_hash"], "payload.head_hash")
    if p["transport"] not in TRANSPORTS:
        raise InvalidFieldError(
            f"payload.transport must be one of {', '.join(TRANSPORTS)}",
            field="payload.transport",
        )
    stored_count(p["feed_position"], "payload.feed_position", minimum=0)
    stored_count(p["via_head_seq"], "payload.via_head_seq", minimum=0)
    if stored_count(p["signed_seq"], "payload.signed_seq", minimum=0) > high:
        raise InvalidFieldError(
            "payload.signed_seq lies beyond to_seq", field="payload.signed_seq"
        )
    _enrollments(p["enrollments"], origin.value)


def _enrollments(value: object, origin: str) -> None:
    field = "payload.enrollments"
    if not isinstance(value, Mapping):
        raise InvalidFieldError(f"{field} must map children to keys", field=field)
    for child, key in value.items():
        code = stored_code(child, f"{field}.{child}")
        if code.parent is None or code.parent.value != origin:
            raise InvalidFieldError(
                f"{field} names {code}, not a child of {origin}", field=field
            )
        _key(key, f"{field}.{child}")


def _fork(p: Payload, stored: Stored) -> None:
    origin = stored_below(p["origin"], "payload.origin", stored)
    at_seq = stored_count(p["at_seq"], "payload.at_seq")
    held = stored_hex(p["held_hash"], "payload.held_hash")
    offered_hash = stored_hex(p["offered_hash"], "payload.offered_hash")
    if held == offered_hash:
        raise InvalidFieldError(
            "payload.offered_hash is the held hash: no fork",
            field="payload.offered_hash",
        )
    _offered(p["offered"], origin.value, at_seq, offered_hash)
    via = stored_code(p["via"], "payload.via")
    if not (stored.node.contains(via) and via.contains(origin)):
        raise InvalidFieldError(
            f"payload.via {via} is not between {stored.node} and {origin}",
            field="payload.via",
        )


def _offered(value: object, origin: str, at_seq: int, offered_hash: str) -> None:
    """The quoted document shows the offered hash: as its own hash at ``at_seq``, or
    as its ``prev_hash`` at the seq after (its structure is checked as a document)."""
    field = "payload.offered"
    doc = value if isinstance(value, Mapping) else {}
    shows = (doc.get("seq"), doc.get("hash")) == (at_seq, offered_hash) or (
        doc.get("seq"),
        doc.get("prev_hash"),
    ) == (at_seq + 1, offered_hash)
    if doc.get("node") != origin or not shows:
        raise InvalidFieldError(
            f"{field} is not {origin}'s document showing offered_hash at seq {at_seq}",
            field=field,
        )


def _resolved(p: Payload, stored: Stored) -> None:
    stored_below(p["origin"], "payload.origin", stored)
    stored_count(p["at_seq"], "payload.at_seq")
    note = p["note"]
    same(lambda v, f: parse_text(v, f, max_len=NOTE_LENGTH), note, "payload.note")


def _key(value: object, field: str) -> bytes:
    with refusing(field):
        return decode_base64(value, PUBLIC_KEY_BYTES, field)


NETWORK_CHECKS: dict[str, Callable[[Payload, Stored], None]] = {
    "LedgerOpened": _opened,
    "ChildEnrolled": _enrolled,
    "Checkpoint": _checkpoint,
    "BatchReceived": _received,
    "ForkDetected": _fork,
    "ForkResolved": _resolved,
}
"""Fact type -> the check of its stored payload (beyond ``effective_on``)."""

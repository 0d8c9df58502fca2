"""Checkpoint: a node signs its head and the facts since its previous checkpoint."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

from domain.definition import FactType
from domain.errors import InvalidFieldError
from domain.facts import SPAN_DIGITS, Fact
from domain.key_text import SIGNATURE_BYTES, decode_base64
from domain.messages import Text
from domain.ports import checkpoint_message
from domain.stored_fields import derived, stored_hex
from domain.stored_refusals import refusing

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.ports import Verifier
    from domain.stored_fields import Stored


class Checkpoint(Fact):
    """The node's signature over its head (node, signed_seq, signed_hash), and over
    the hashes of the facts since its previous checkpoint (``span``), so that a
    rewrite below a signed head is located to the fact."""

    signed_seq: int
    signed_hash: str
    span: str
    """The first SPAN_DIGITS hex digits of each fact's hash since the previous
    checkpoint, in seq order, concatenated."""
    signature: str

    org_field: ClassVar[str | None] = None
    business_date: ClassVar[bool] = False
    signs: ClassVar[bool] = True

    def evolve(self, journal: Journal) -> None:
        journal.last_checkpoint = self.seq
        journal.since_checkpoint = []

    def spanned(self) -> list[str]:
        """The signed hash prefixes, one per fact since the previous checkpoint."""
        step = SPAN_DIGITS
        return [self.span[i : i + step] for i in range(0, len(self.span), step)]

    def defect(self, key: str, verifier: Verifier) -> Text | None:
        """Why this checkpoint does not vouch for its place in the chain, or None.

        It must sign exactly its predecessor (seq - 1 and prev_hash), with its own
        times and span, under ``key``: then it covers every seq up to its own.
        """
        if self.signed_seq != self.seq - 1 or self.signed_hash != self.prev_hash:
            return Text(
                "signs seq {signed_seq} {signed_hash}…, not the fact before it "
                "(seq {seq} {prev_hash}…)",
                signed_seq=self.signed_seq,
                signed_hash=self.signed_hash[:16],
                seq=self.seq - 1,
                prev_hash=self.prev_hash[:16],
            )
        if not self.verifies(key, verifier):
            return Text("signature does not verify against the key")
        return None

    def verifies(self, key: str, verifier: Verifier) -> bool:
        """True when the signature holds over the checkpoint's own fields."""
        message = checkpoint_message(
            self.node,
            self.signed_seq,
            self.signed_hash,
            self.recorded_at,
            self.effective_on,
            self.span,
        )
        return verifier.verify(key, message, self.signature)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """Signs the fact before it, over a span of hash prefixes, in base64."""
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
            Text(
                "{field} must be {digits} lower-case hex digits per fact since the "
                "previous checkpoint",
                field=field,
                digits=SPAN_DIGITS,
            ),
            field=field,
        )


FACT_TYPE = FactType(Checkpoint, check_stored)

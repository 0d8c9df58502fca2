"""The facts a node records about a batch it checked: receipts and fork evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.errors import ForkError
from domain.messages import Text
from domain.values import today_in_china

if TYPE_CHECKING:
    from domain.ingest_plan import Fork, IngestPlan


def receipt_payloads(
    plan: IngestPlan, via: str, transport: str, feed_position: int, via_head: int
) -> list[dict[str, Any]]:
    """The BatchReceived payload for each origin with new facts."""
    today = today_in_china().isoformat()
    return [
        {
            "effective_on": today,
            "origin": origin,
            "from_seq": p.first_new,
            "to_seq": p.seq,
            "head_hash": p.hash,
            "via": via,
            "transport": transport,
            "feed_position": feed_position,
            "via_head_seq": via_head,
            "signed_seq": p.signed_seq,
            "enrollments": p.enrollments,
        }
        for origin, p in plan.origins.items()
        if p.new
    ]


def fork_payload(fork: Fork, via: str) -> dict[str, Any]:
    """The ForkDetected payload that keeps a fork's evidence."""
    return {
        "effective_on": today_in_china().isoformat(),
        "origin": fork.origin,
        "at_seq": fork.seq,
        "held_hash": fork.held_hash,
        "offered_hash": fork.offered_hash,
        "offered": fork.offered,
        "via": via,
    }


def fork_error(fork: Fork) -> ForkError:
    """The error a fork raises after its evidence is recorded."""
    return ForkError(
        Text(
            "{origin} signed another history: at seq {seq} this node holds hash "
            "{held}… but was offered {offered}… (a rewritten history or a restored "
            "backup); nothing from this batch was recorded, the evidence is kept — "
            "see `tierledger sync status`",
            origin=fork.origin,
            seq=fork.seq,
            held=fork.held_hash[:16],
            offered=fork.offered_hash[:16],
        )
    )

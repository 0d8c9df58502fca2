"""A node's feed, cut into pages that a receiver can accept on their own.

A receiver stores an origin's facts only under that origin's signature, so a page
ends where every origin in it ends on one of its own checkpoints: after a node's
own checkpoint, or after a batch it received (each ends on its origin's checkpoint,
then the node's receipts and checkpoint).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.replication import MAX_BATCH

if TYPE_CHECKING:
    from collections.abc import Callable

READ = 500
"""Notifications read per query while a page is assembled."""


@dataclass(frozen=True)
class FeedPage:
    """A page of a node's feed: facts in arrival order, and where the page ends."""

    node: str
    facts: list[dict[str, Any]]
    position: int
    head_seq: int
    head_hash: str
    signed_head: dict[str, Any] | None = None
    """The node's latest checkpoint, so a receiver can compare its whole history."""


def covered_page(
    read: Callable[[int, int], list[tuple[int, dict[str, Any]]]],
    after: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    """Facts after ``after`` up to the last boundary within ``limit`` (or the first
    beyond it), and the position the page ends at.

    ``read(after, n)`` gives up to n (position, document) pairs. Facts past the last
    boundary (an unsigned tail) wait for the node's next checkpoint. A page that
    finds no boundary within MAX_BATCH facts is returned whole: the receiver then
    refuses it by name rather than the feed stalling silently.
    """
    facts: list[dict[str, Any]] = []
    unsigned: set[str] = set()
    cut, cut_position, position = 0, after, after
    while True:
        rows = read(position, READ)
        for position, document in rows:
            facts.append(document)
            if document["type"] == "Checkpoint":
                unsigned.discard(document["node"])
            else:
                unsigned.add(document["node"])
            if not unsigned:
                cut, cut_position = len(facts), position
            if (cut and len(facts) >= limit) or len(facts) >= MAX_BATCH:
                break
        else:
            if len(rows) == READ:
                continue
        if not cut and len(facts) >= MAX_BATCH:
            return facts, position
        return facts[:cut], cut_position

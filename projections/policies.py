"""The subsidy policies adopted at a point: each adopting node's, oldest first."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import orjson

from domain.policy import Policy
from projections.holdings import POLICIES

if TYPE_CHECKING:
    from projections.view import LedgerView, Point


def adopted(view: LedgerView, point: Point) -> dict[str, list[Policy]]:
    """Adopting node -> its policies in force by the point's date, oldest first
    (the last is the one in force; a node without one follows its parent's)."""
    found: dict[str, list[Policy]] = defaultdict(list)
    rows = view.fetch(POLICIES, point.params())
    for origin, seq, on, body in sorted(rows, key=lambda r: (r[2], r[1])):
        found[origin].append(Policy.of(origin, seq, on, orjson.loads(body)))
    return dict(sorted(found.items()))

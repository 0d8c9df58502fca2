"""Small counts a dashboard shows beside the roll-up, each one indexed query."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.queries import KNOWN

if TYPE_CHECKING:
    from projections.view import LedgerView, Point

UPGRADES = f"""
    SELECT COUNT(*) FROM {{view_identities}}
    WHERE type = 'OrganizationUpgraded' AND effective_on >= :since AND {KNOWN}"""


def upgrades_since(view: LedgerView, point: Point, since: str) -> int:
    """Filed organizations registered from ``since`` to the point's date."""
    rows = view.fetch(UPGRADES, {**point.params(), "since": since})
    return int(rows[0][0])

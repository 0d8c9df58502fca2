"""A node's views as its surfaces use them: kept current, asked at any point."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import orjson

from domain.errors import InvalidDateError
from domain.state import OrgState
from domain.values import today_in_china, utc_instant
from projections import findings, reconcile, registry, rollup
from projections.hearing import Hearing
from projections.holdings import Holdings
from projections.processor import ViewProcessor
from projections.view import FOREVER, Point

if TYPE_CHECKING:
    from domain.application import Ledger
    from projections.processor import Progress
    from projections.view import LedgerView


class NodeViews:
    """Registry, organization and roll-up views of one node's ledger."""

    def __init__(self, ledger: Ledger, view: LedgerView) -> None:
        self.ledger, self.view = ledger, view
        self.processor = ViewProcessor(ledger, view)
        # The ledger's rules may now accept facts about organizations it holds
        # only through its descendants' facts (a street grading a community's).
        ledger.held_orgs = self.held_org

    def catch_up(self, progress: Progress | None = None) -> int:
        """Process what the ledger recorded since the views last looked."""
        with self.ledger.write_lock:
            return self.processor.catch_up(progress)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Drop the views and process the whole ledger again."""
        with self.ledger.write_lock:
            return self.processor.rebuild(progress)

    def point(self, as_of: str | None = None, known_at: str | None = None) -> Point:
        """The point a question stands at: a business date and a knowledge instant."""
        self.catch_up()
        day = _date(as_of) if as_of else today_in_china().isoformat()
        if known_at is None:
            return Point(day, self.view.position())
        return Point(day, self.view.knowledge(_instant(known_at)))

    def registry(self, point: Point) -> list[dict[str, Any]]:
        """Every organization known at the point."""
        return registry.organizations(self.view, point)

    def organization(self, ref: str, point: Point) -> dict[str, Any]:
        """One organization at the point, with its timeline across origins."""
        return registry.organization(self.view, point, ref)

    def rollup(self, point: Point, *, communities: bool = False) -> dict[str, Any]:
        """The roll-up per child node (or per community) at the point."""
        return rollup.rollup(
            self.view, self.ledger.node, point, communities=communities
        )

    def reconcile(self, point: Point) -> dict[str, Any]:
        """Rules R1–R9 over everything held at the point, with their evidence;
        pending where a descendant not heard from since may hold what is missing."""
        hearing = Hearing.at(self.ledger, self.view, point)
        holdings = Holdings.read(self.view, point, hearing)
        found = reconcile.Reconciler(holdings).run()
        return findings.report(self.ledger.node.value, point, found)

    def digest(self, point: Point) -> str:
        """SHA-256 of the registry and roll-up at the point, for comparing stores."""
        rollup_ = self.rollup(point)
        rollup_.pop("known_pos")  # where the node stood, not what it knew
        body = {"registry": self.registry(point), "rollup": rollup_}
        encoded = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(encoded).hexdigest()

    def held_org(self, org_id: str) -> OrgState | None:
        """An organization as the rules need it, from everything this node holds."""
        self.catch_up()
        found = registry.organizations(
            self.view, Point(FOREVER, self.view.position()), org_id
        )
        if not found:
            return None
        org = found[0]
        return OrgState(
            org_id=org["org_id"],
            name=org["name"] or "",
            status=org["status"],
            legal_form=org["legal_form"],
            uscc=org["uscc"],
            filing_number=org["filing_number"],
            filing_node=org["filing_node"],
            filing_closed=org["registered_on"] is not None,
            community=org["community"],
            category=org["category"],
            filed_on=org["filed_on"],
            registered_on=org["registered_on"],
            closed_on=org["closed_on"],
            details={},
            grades={},
            facts=[],
        )

    def close(self) -> None:
        """Release the view's store."""
        self.ledger.held_orgs = None
        self.view.close()


def _date(text: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise InvalidDateError(
            f"as_of {text!r} is not an ISO date (YYYY-MM-DD)", field="as_of"
        ) from None


def _instant(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidDateError(
            f"known_at {text!r} is not an ISO instant", field="known_at"
        ) from None
    if moment.tzinfo is None:
        raise InvalidDateError(
            f"known_at {text!r} needs a UTC offset, e.g. 2024-06-30T16:00:00Z",
            field="known_at",
        )
    return utc_instant(moment.astimezone(UTC))

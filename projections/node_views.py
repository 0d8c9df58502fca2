"""A node's views as its surfaces use them: kept current, asked at any point."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import orjson

from domain.errors import ChainBrokenError, InvalidDateError, excerpt
from domain.messages import Text
from domain.state import OrgState
from domain.text import parse_identifier
from domain.values import today_in_china, utc_instant
from projections import (
    audit,
    audit_diff,
    chain_status,
    findings,
    policies,
    reconcile,
    registry,
    rollup,
    search,
)
from projections.answers import Answers
from projections.hearing import Hearing
from projections.holdings import Holdings
from projections.processor import ViewProcessor
from projections.span import in_order
from projections.view import FOREVER, Point

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from domain.application import Ledger
    from domain.policy import Policy
    from domain.verify import VerifyReport
    from projections.chain_status import ChainBreak
    from projections.models.audit import AuditTimeline
    from projections.models.audit_diff import AuditDiff
    from projections.models.reconciliation import ReconciliationReport
    from projections.models.registry import (
        Organization,
        OrganizationDetail,
        RegistryPage,
    )
    from projections.models.rollup import Rollup
    from projections.processor import Progress
    from projections.search import RegistryFilter
    from projections.span import Span
    from projections.view import LedgerView

    VerifyAll = Callable[[], Mapping[str, VerifyReport]]
    """A full verification of every chain the node holds (``NodeSync.verify_all``)."""


class NodeViews:
    """Registry, organization and roll-up views of one node's ledger."""

    def __init__(self, ledger: Ledger, view: LedgerView) -> None:
        self.ledger, self.view = ledger, view
        self.processor = ViewProcessor(ledger, view)
        self.rollups: Answers[Rollup] = Answers()

    def catch_up(self, progress: Progress | None = None) -> int:
        """Process what the ledger recorded since the views last looked."""
        with self.ledger.write_lock:
            return self.processor.catch_up(progress)

    def rebuild(self, verify_all: VerifyAll, progress: Progress | None = None) -> int:
        """Verify every chain held, record what was found, then drop the views and
        process the whole ledger again; refuses (``ChainBrokenError``) and leaves
        the views as they were if any chain is broken."""
        for origin, report in self.verify(verify_all).items():
            if not report.ok:
                first = report.problems[0]
                raise ChainBrokenError(
                    origin, first.seq, first.reason,
                    Text(
                        "the views were not rebuilt — run tierledger audit verify "
                        "{node} for every problem",
                        node=self.ledger.node,
                    ),
                )  # fmt: skip
        return self.rebuild_unverified(progress)

    def rebuild_unverified(self, progress: Progress | None = None) -> int:
        """Drop the views and process the whole ledger again, trusting its chains
        (for the views' own tests and benchmarks; operators' rebuilds verify)."""
        with self.ledger.write_lock:
            self.rollups.clear()
            return self.processor.rebuild(progress)

    def verify(self, verify_all: VerifyAll) -> Mapping[str, VerifyReport]:
        """Run a full verification and record what it found of each origin."""
        begun = utc_instant(datetime.now(UTC))
        reports = verify_all()
        with self.ledger.write_lock:  # beside this process's view writes, not in one
            chain_status.record(self.view, reports, begun)
        return reports

    def require_intact(self, *, allow_broken: bool = False) -> tuple[ChainBreak, ...]:
        """Refuse (``ChainBrokenError``) while the last verification of any origin
        found its chain broken; with ``allow_broken``, the breaks instead."""
        found = tuple(chain_status.breaks(self.view))
        if found and not allow_broken:
            first = found[0]
            raise ChainBrokenError(
                first.origin, first.seq, first.reason,
                Text(
                    "the views do not answer over it (verification of "
                    "{checked_at}) — run tierledger audit verify {node} for every "
                    "problem; auditors may force an answer marked as broken "
                    "(--allow-broken, allow_broken=true)",
                    checked_at=first.checked_at,
                    node=self.ledger.node,
                ),
            )  # fmt: skip
        return found

    def point(
        self,
        as_of: str | None = None,
        known_at: str | None = None,
        *,
        allow_broken: bool = False,
        known_at_name: str = "known_at",
        as_of_name: str = "as_of",
    ) -> Point:
        """The point a question stands at: a business date and a knowledge instant
        (``as_of_name``, ``known_at_name``: what the caller calls them, for errors).
        Every read starts here, so here it refuses over a chain recorded broken
        (``require_intact``); a forced point carries the breaks to mark answers."""
        # Bad input is refused before any work.
        day = _date(as_of, as_of_name) if as_of else None
        instant = None if known_at is None else _instant(known_at, known_at_name)
        broken = self.require_intact(allow_broken=allow_broken)
        self.catch_up()
        day = day or today_in_china().isoformat()
        if instant is None:
            return Point(day, self.view.position(), broken)
        return Point(day, self.view.knowledge(instant), broken, instant)

    def span(self, asked: Span, *, allow_broken: bool = False) -> tuple[Point, Point]:
        """The two points an audit diff compares (``projections.span``): refused if
        a pair is half given, beside its single value, or given later first."""
        asked.check()
        days = asked.as_of_from, asked.as_of_to
        if days[0] and days[1]:
            in_order("as_of_from", _date(days[0], "as_of_from"),
                     "as_of_to", _date(days[1], "as_of_to"))  # fmt: skip
        if asked.known_from and asked.known_to:
            in_order("from", _instant(asked.known_from, "from"),
                     "to", _instant(asked.known_to, "to"))  # fmt: skip
        before = self.point(
            days[0] or asked.as_of, asked.known_from or asked.known_at,
            allow_broken=allow_broken,
            known_at_name="from" if asked.known_from else "known_at",
            as_of_name="as_of_from" if days[0] else "as_of",
        )  # fmt: skip
        if asked.known_to is None:  # one knowledge position for both sides
            return before, replace(before, as_of=_date(days[1] or before.as_of))
        after = self.point(
            days[1] or asked.as_of, asked.known_to, allow_broken=allow_broken,
            known_at_name="to", as_of_name="as_of_to" if days[1] else "as_of",
        )  # fmt: skip
        return before, after

    def registry(self, point: Point) -> list[Organization]:
        """Every organization known at the point."""
        return registry.organizations(self.view, point)

    def registry_page(
        self, point: Point, only: RegistryFilter, offset: int, limit: int | None
    ) -> RegistryPage:
        """A page of the organizations known at the point that ``only`` admits
        (``limit`` None: every one from ``offset``)."""
        return search.find(self.view, point, only, offset, limit)

    def organization(self, ref: str, point: Point) -> OrganizationDetail:
        """One organization at the point, with its timeline across origins."""
        return registry.organization(self.view, point, ref, self.ledger.actor_of)

    def rollup(
        self, point: Point, *, communities: bool = False, period: str | None = None
    ) -> Rollup:
        """The roll-up per child node (or per community) at the point; money per
        period, or only ``period``'s (a period as a subsidy names it: folded like
        one, so ２０２４ asks for 2024)."""
        only = (
            None if period is None else parse_identifier(period, "period", max_len=20)
        )
        key = (point.as_of, point.pos, point.known_at, point.broken, communities, only)
        return self.rollups.get(
            key,
            lambda: rollup.rollup(
                self.view, self.ledger.node, point, communities=communities, period=only
            ),
        )

    def reconcile(self, point: Point) -> ReconciliationReport:
        """Rules R1–R9 over everything held at the point, with their evidence;
        pending where a descendant not heard from since may hold what is missing."""
        hearing = Hearing.at(self.ledger, self.view, point)
        holdings = Holdings.read(self.view, point, hearing)
        found = reconcile.Reconciler(holdings).run()
        return findings.report(self.ledger.node.value, point, found)

    def policies(self, point: Point) -> dict[str, list[Policy]]:
        """The policies adopted by the point, per adopting node, oldest first."""
        return policies.adopted(self.view, point)

    def diff(self, before: Point, after: Point) -> AuditDiff:
        """What changed in the roll-up between two points, and the facts that did it."""
        return audit_diff.diff(self.view, self.ledger.node, before, after)

    def timeline(self, ref: str, point: Point) -> AuditTimeline:
        """Every fact about one organization, in force order and as learned."""
        return audit.timeline(self.view, point, ref, self.ledger.actor_of)

    def digest(self, point: Point) -> str:
        """SHA-256 of the registry and roll-up at the point, for comparing stores."""
        # Not where the node stood, nor whether it was asked over a broken chain:
        # what it knew.
        rollup_ = self.rollup(point).model_dump(
            mode="json", exclude={"known_pos", "chain_broken"}
        )
        orgs = [org.model_dump(mode="json") for org in self.registry(point)]
        body = {"registry": orgs, "rollup": rollup_}
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
            org_id=org.org_id,
            name=org.name or "",
            status=org.status,
            legal_form=org.legal_form,
            uscc=org.uscc,
            filing_number=org.filing_number,
            filing_node=org.filing_node,
            filing_closed=org.registered_on is not None,
            community=org.community,
            category=org.category,
            filed_on=org.filed_on,
            registered_on=org.registered_on,
            closed_on=org.closed_on,
            grades={},
            facts=[],
        )

    def close(self) -> None:
        """Release the view's store."""
        self.view.close()


def _date(text: str, field: str = "as_of") -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise InvalidDateError(
            Text(
                "{field} {text} is not an ISO date (YYYY-MM-DD)",
                field=field,
                text=repr(text),
            ),
            field=field,
        ) from None


def _instant(text: str, field: str) -> str:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidDateError(
            Text(
                "{field} {text} is not an ISO instant",
                field=field,
                text=excerpt(text, 48),
            ),
            field=field,
        ) from None
    if moment.tzinfo is None:
        raise InvalidDateError(
            Text(
                "{field} {text} needs a UTC offset, e.g. 2024-06-30T16:00:00Z",
                field=field,
                text=excerpt(text, 48),
            ),
            field=field,
        )
    try:
        return utc_instant(moment.astimezone(UTC))
    except OverflowError:  # year 1 east of UTC, year 9999 west of it
        raise InvalidDateError(
            Text(
                "{field} {text} is outside years 1 to 9999 in UTC",
                field=field,
                text=excerpt(text, 48),
            ),
            field=field,
        ) from None

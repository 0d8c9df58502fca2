"""Reads over the node's views: organizations, roll-up, reconciliation, audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import AllowBrokenDep, AuditorDep, NodeDep, ReaderDep
from api.json_body import LimitedRoute
from projections.models.audit import AuditTimeline, Verification
from projections.models.audit_diff import AuditDiff
from projections.models.reconciliation import ReconciliationReport
from projections.models.registry import OrganizationDetail, RegistryPage
from projections.models.rollup import Rollup
from projections.models.sync import SyncStatus
from projections.span import Span

router = APIRouter(tags=["views"], route_class=LimitedRoute)

AsOf = Annotated[
    str | None,
    Query(
        description="Business date (ISO): facts in force then.",
        max_length=10,
        examples=["2024-12-31"],
    ),
]
OrgRef = Annotated[
    str,
    Path(
        max_length=200,
        description="org_id, USCC, filing number or NODE:number",
        examples=["330211001001:招宝山备2024-001"],
    ),
]
KnownAt = Annotated[
    str | None,
    Query(
        description="Instant with offset: only facts the node had received by then.",
        max_length=40,
        examples=["2025-01-10T08:00:00Z"],
    ),
]


Since = Annotated[
    str | None,
    Query(alias="from", max_length=40, description="Earlier knowledge instant.",
          examples=["2025-01-01T00:00:00Z"]),
]  # fmt: skip
Until = Annotated[
    str | None,
    Query(alias="to", max_length=40, description="Later knowledge instant.",
          examples=["2025-02-01T00:00:00Z"]),
]  # fmt: skip
AsOfFrom = Annotated[
    str | None,
    Query(max_length=10, description="Earlier business date (ISO).",
          examples=["2024-06-30"]),
]  # fmt: skip
AsOfTo = Annotated[
    str | None,
    Query(max_length=10, description="Later business date (ISO).",
          examples=["2024-12-31"]),
]  # fmt: skip


@router.get("/organizations")
def organizations(
    node: NodeDep,
    _: ReaderDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Text anywhere in the name, filing number or USCC "
            "(% and _ are literal; ASCII case ignored; blank: any).",
            examples=["书画社"],
        ),
    ] = None,
    status: Annotated[
        str | None,
        Query(max_length=20, description="filed, registered, deregistered, revoked."),
    ] = None,
    legal_form: Annotated[
        str | None,
        Query(
            max_length=40,
            description="social_group, social_service_institution "
            "or foundation (or its Chinese name).",
        ),
    ] = None,
    street: Annotated[
        str | None, Query(max_length=20, description="A street's code (9 digits).")
    ] = None,
    community: Annotated[
        str | None,
        Query(max_length=20, description="A community's code (12 digits)."),
    ] = None,
    area: Annotated[
        str | None,
        Query(pattern=r"^[0-9]{6,12}$", description="Division code prefix of home."),
    ] = None,
    category: Annotated[
        str | None, Query(max_length=40, description="Category given at filing.")
    ] = None,
    grade: Annotated[
        str | None, Query(max_length=20, description="A grade in any scheme.")
    ] = None,
    period: Annotated[
        str | None,
        Query(max_length=20, description="A period it has a live subsidy for."),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    allow_broken: AllowBrokenDep = False,
) -> RegistryPage:
    """Organizations this node knows at a point, searched, filtered and paginated."""
    only = node.registry_filter(
        text=q if q and q.strip() else None, status=status, legal_form=legal_form,
        street=street, community=community, area=area, category=category,
        grade=grade, period=period,
    )  # fmt: skip
    point = node.point(as_of, known_at, allow_broken=allow_broken)
    return node.registry_page(point, only, offset, limit)


@router.get("/organizations/{org}")
def organization(
    org: OrgRef,
    node: NodeDep,
    _: ReaderDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    allow_broken: AllowBrokenDep = False,
) -> OrganizationDetail:
    """One organization at a point, with its timeline across every tier."""
    point = node.point(as_of, known_at, allow_broken=allow_broken)
    return node.organization(org, point)


@router.get("/rollup")
def rollup(
    node: NodeDep,
    _: ReaderDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    communities: bool = False,
    period: Annotated[
        str | None,
        Query(
            max_length=20,
            description="Only this period's money (as subsidies name it); without "
            "it, money per period, never summed across periods.",
            examples=["2024"],
        ),
    ] = None,
    allow_broken: AllowBrokenDep = False,
) -> Rollup:
    """Counts, grades and money per period per child node (or community) at a point."""
    point = node.point(as_of, known_at, allow_broken=allow_broken)
    return node.rollup(point, communities=communities, period=period)


@router.get("/reconciliation")
def reconciliation(
    node: NodeDep,
    _: ReaderDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    allow_broken: AllowBrokenDep = False,
) -> ReconciliationReport:
    """Rules R1–R9 over everything held at a point, each finding with evidence."""
    point = node.point(as_of, known_at, allow_broken=allow_broken)
    return node.reconcile(point)


@router.get("/audit/verify")
def verify(node: NodeDep, _: AuditorDep) -> Verification:
    """Every origin's chain and checkpoint signatures, recomputed now; what is
    found is recorded (the views refuse to answer over a broken chain)."""
    return node.verify()


@router.get("/audit/diff")
def diff(
    node: NodeDep,
    _: AuditorDep,
    since: Since = None,
    until: Until = None,
    as_of_from: AsOfFrom = None,
    as_of_to: AsOfTo = None,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    allow_broken: AllowBrokenDep = False,
) -> AuditDiff:
    """What changed in the roll-up between two business dates (as_of_from,
    as_of_to), two knowledge instants (from, to) or both, and the facts that did it."""
    asked = Span(as_of, known_at, as_of_from, as_of_to, since, until)
    before, after = node.span(asked, allow_broken=allow_broken)
    return node.audit_diff(before, after)


@router.get("/audit/timeline/{org}")
def timeline(
    org: OrgRef,
    node: NodeDep,
    _: AuditorDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    allow_broken: AllowBrokenDep = False,
) -> AuditTimeline:
    """Every fact about one organization, in force order and as learned."""
    point = node.point(as_of, known_at, allow_broken=allow_broken)
    return node.audit_timeline(org, point)


@router.get("/sync/status")
def sync_status(node: NodeDep, _: ReaderDep) -> SyncStatus:
    """Per origin: last seq, hash, last contact and lag; open fork reports."""
    return node.sync_status()

"""Reads over the node's views: organizations, roll-up, reconciliation, audit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import AllowBrokenDep, AuditorDep, ReaderDep, SyncDep, ViewsDep
from api.json_body import LimitedRoute
from projections import audit
from projections.chain_status import marked

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


@router.get("/organizations")
def organizations(
    views: ViewsDep,
    _: ReaderDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    legal_form: Annotated[str | None, Query(max_length=40)] = None,
    area: Annotated[
        str | None,
        Query(pattern=r"^[0-9]{6,12}$", description="Division code prefix of home."),
    ] = None,
    grade: Annotated[
        str | None, Query(max_length=20, description="A grade in any scheme.")
    ] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    allow_broken: AllowBrokenDep = False,
) -> dict[str, Any]:
    """Organizations this node knows at a point, filtered and paginated."""
    point = views.point(as_of, known_at, allow_broken=allow_broken)
    found = [
        org
        for org in views.registry(point)
        if (status is None or org["status"] == status)
        and (legal_form is None or org["legal_form"] == legal_form)
        and (area is None or str(org["home"]).startswith(area))
        and (grade is None or any(g["grade"] == grade for g in org["grades"].values()))
    ]
    page = found[offset : offset + limit]
    return marked(
        {"total": len(found), "offset": offset, "limit": limit, "items": page}, point
    )


@router.get("/organizations/{org}")
def organization(
    org: OrgRef,
    views: ViewsDep,
    _: ReaderDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    allow_broken: AllowBrokenDep = False,
) -> dict[str, Any]:
    """One organization at a point, with its timeline across every tier."""
    point = views.point(as_of, known_at, allow_broken=allow_broken)
    return marked(views.organization(org, point), point)


@router.get("/rollup")
def rollup(
    views: ViewsDep,
    _: AuditorDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    communities: bool = False,
    allow_broken: AllowBrokenDep = False,
) -> dict[str, Any]:
    """Counts, grades and money per child node (or per community) at a point."""
    point = views.point(as_of, known_at, allow_broken=allow_broken)
    return marked(views.rollup(point, communities=communities), point)


@router.get("/reconciliation")
def reconciliation(
    views: ViewsDep,
    _: AuditorDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    allow_broken: AllowBrokenDep = False,
) -> dict[str, Any]:
    """Rules R1–R9 over everything held at a point, each finding with evidence."""
    point = views.point(as_of, known_at, allow_broken=allow_broken)
    return marked(views.reconcile(point), point)


@router.get("/audit/verify")
def verify(views: ViewsDep, sync: SyncDep, _: AuditorDep) -> dict[str, Any]:
    """Every origin's chain and checkpoint signatures, recomputed now; what is
    found is recorded (the views refuse to answer over a broken chain)."""
    reports = views.verify(sync.verify_all)
    return {
        "ok": all(r.ok for r in reports.values()),
        "origins": [
            {"origin": origin, "facts": r.checked, "head_seq": r.last_seq,
             "head_hash": r.last_hash, "ok": r.ok,
             "problems": [str(p) for p in r.problems[:20]]}
            for origin, r in reports.items()
        ],
    }  # fmt: skip


@router.get("/audit/diff")
def diff(
    views: ViewsDep,
    _: AuditorDep,
    since: Annotated[str, Query(alias="from", max_length=40)],
    until: Annotated[str, Query(alias="to", max_length=40)],
    as_of: AsOf = None,
    allow_broken: AllowBrokenDep = False,
) -> dict[str, Any]:
    """What changed in the roll-up between two instants, and the facts that did it."""
    before = views.point(as_of, since, allow_broken=allow_broken, known_at_name="from")
    after = views.point(as_of, until, allow_broken=allow_broken, known_at_name="to")
    return marked(audit.diff(views.view, views.ledger.node, before, after), after)


@router.get("/audit/timeline/{org}")
def timeline(
    org: OrgRef,
    views: ViewsDep,
    _: AuditorDep,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    allow_broken: AllowBrokenDep = False,
) -> dict[str, Any]:
    """Every fact about one organization, in force order and as learned."""
    point = views.point(as_of, known_at, allow_broken=allow_broken)
    return marked(audit.timeline(views.view, point, org), point)


@router.get("/sync/status")
def sync_status(sync: SyncDep, _: AuditorDep) -> dict[str, Any]:
    """Per origin: last seq, hash, last contact and lag; open fork reports."""
    status = sync.status()
    return {
        "origins": [
            {"origin": o.origin, "seq": o.seq, "hash": o.hash,
             "signed_seq": o.signed_seq, "via": o.via,
             "last_contact": o.last_contact, "lag": o.lag,
             "direct_child": o.direct_child}
            for o in status.origins
        ],
        "forks": status.forks,
    }  # fmt: skip

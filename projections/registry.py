"""The registry view: every organization a node knows, at any point, as plain data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.codes import TIERS
from domain.errors import InvalidFieldError, UnknownOrganizationError
from domain.identity import parse_org_reference
from domain.messages import Text
from projections import queries
from projections.models.base import marks
from projections.models.registry import (
    GradeHeld,
    Organization,
    OrganizationDetail,
    SubsidyCount,
    SubsidyDecision,
    TimelineFact,
)
from projections.orgs import org_states
from projections.queries import Scope

if TYPE_CHECKING:
    from collections.abc import Callable

    from projections.view import LedgerView, Point


def latest_grades(
    view: LedgerView, point: Point, scope: Scope | None = None
) -> dict[str, dict[str, GradeHeld]]:
    """org_id -> scheme -> its latest evaluation on the point's date (of the
    organizations in ``scope``, if given)."""
    if view.distinct_on:
        sql = queries.scoped(queries.LATEST_GRADES_DISTINCT_ON, scope)
    else:
        sql = queries.scoped(queries.LATEST_GRADES_SEEK, scope, "WHERE")
    latest: dict[str, dict[str, GradeHeld]] = {}
    params = {**point.params(), **(scope.params if scope else {})}
    for org, scheme, grade, passed, valid_until, on, origin, seq in view.fetch(
        sql, params
    ):
        latest.setdefault(org, {})[scheme] = GradeHeld(
            grade=grade,
            passed=bool(passed),
            evaluated_on=on,
            valid_until=valid_until,
            expired=bool(valid_until and valid_until <= point.as_of),
            by=origin,
            seq=seq,
        )
    return latest


def latest_classes(view: LedgerView, point: Point) -> dict[tuple[str, str], str]:
    """(org_id, scheme) -> what a roll-up counts of the latest evaluation on the
    point's date: the grade, ``not_passed`` or ``expired``."""
    classes = (
        queries.LATEST_CLASSES_DISTINCT_ON
        if view.distinct_on
        else queries.LATEST_CLASSES_SEEK
    )
    rows = view.fetch(classes, point.params())
    return {(org, scheme): kind for org, scheme, kind in rows if kind is not None}


def organizations(
    view: LedgerView, point: Point, org_id: str | None = None
) -> list[Organization]:
    """Organizations as of ``point`` (one, if ``org_id``), by name then id."""
    scope = Scope.one(org_id) if org_id else None
    states = sorted(org_states(view, point, scope).values(), key=by_name)
    return described(view, point, states, scope)


def described(
    view: LedgerView,
    point: Point,
    states: list[dict[str, Any]],
    scope: Scope | None,
) -> list[Organization]:
    """Organizations from their ``states`` (``orgs.merge``), with their latest
    grades and live subsidies, read for ``scope``: a superset of them, or every
    organization if None."""
    if not states:
        return []
    grades = latest_grades(view, point, scope)
    live = queries.scoped(queries.LIVE_PER_ORG, scope)
    params = {**point.params(), **(scope.params if scope else {})}
    money = {
        org: SubsidyCount(count=count, total_fen=int(total))
        for org, count, total in view.fetch(live, params)
    }
    none = SubsidyCount(count=0, total_fen=0)
    return [
        Organization(
            **state,
            grades=grades.get(state["org_id"], {}),
            subsidies=money.get(state["org_id"], none),
        )
        for state in states
    ]


def by_name(state: dict[str, Any]) -> tuple[str, str]:
    """The registry's order: by name, then id."""
    return (state["name"] or "", state["org_id"])


def organization(
    view: LedgerView,
    point: Point,
    ref: str,
    actor_of: Callable[[str, int], str | None],
) -> OrganizationDetail:
    """One organization as of ``point``, with every fact about it and its subsidies;
    ``actor_of(origin, seq)`` says who recorded each (the journal holds it)."""
    org_id = resolve(view, ref)
    found = organizations(view, point, org_id)
    if not found:
        raise UnknownOrganizationError(
            Text(
                "organization {ref} is unknown at this node at that point",
                ref=repr(ref),
            ),
            field="org",
        )
    params = {**point.params(), "org": org_id}
    timeline = sorted(
        (
            TimelineFact(origin=o, seq=s, type=t, tier=TIERS[len(o)],
                         effective_on=on, recorded_at=at, actor=actor_of(o, s))
            for o, s, t, on, at in view.fetch(queries.TIMELINE, params)
        ),
        key=lambda f: (f.effective_on, f.origin, f.seq),
    )  # fmt: skip
    decisions = [
        SubsidyDecision(
            origin=o, seq=s, period=period, program=program, tier=TIERS[len(o)],
            amount_fen=amount, grade_scheme=basis_scheme, grade=basis_grade,
            decided_on=on, revoked_on=revoked,
            live=revoked is None or revoked > point.as_of,
        )
        for o, s, period, program, amount, basis_scheme, basis_grade, on, revoked
        in view.fetch(queries.ORG_SUBSIDIES, params)
    ]  # fmt: skip
    return OrganizationDetail(
        chain_broken=marks(point),
        **dict(found[0]),
        timeline=timeline,
        subsidy_decisions=decisions,
    )


def resolve(view: LedgerView, ref: str) -> str:
    """The org_id an org_id, USCC, ``NODE:FILING_NUMBER`` or filing number names."""
    found = parse_org_reference(ref)
    if found.uscc is not None:
        held = view.fetch(
            "SELECT DISTINCT org_id FROM {view_identities} WHERE uscc = :uscc",
            {"uscc": found.uscc},
        )
        return str(held[0][0]) if held else str(found.org_id)
    if found.org_id is not None:
        return found.org_id
    ref = ref.strip()
    held = view.fetch(
        "SELECT DISTINCT org_id, origin FROM {view_identities} "
        "WHERE type = 'OrganizationFiled' AND filing_number = :number",
        {"number": ref},
    )
    if len(held) > 1:
        nodes = ", ".join(sorted(f"{origin}:{ref}" for _, origin in held))
        raise InvalidFieldError(
            Text(
                "filing number {ref} is used at several nodes; name one of {nodes}",
                ref=repr(ref),
                nodes=nodes,
            ),
            field="org",
        )
    if not held:
        raise UnknownOrganizationError(
            Text("organization {ref} is unknown at this node", ref=repr(ref)),
            field="org",
        )
    return str(held[0][0])

"""The registry view: every organization a node knows, at any point, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    RegistryPage,
    SubsidyCount,
    SubsidyDecision,
    TimelineFact,
)
from projections.orgs import org_states

if TYPE_CHECKING:
    from collections.abc import Callable

    from projections.view import LedgerView, Point


def latest_grades(
    view: LedgerView, point: Point, org_id: str | None = None
) -> dict[str, dict[str, GradeHeld]]:
    """org_id -> scheme -> its latest evaluation on the point's date."""
    if view.distinct_on:
        only = "AND org_id = :org" if org_id else ""
        sql = queries.LATEST_GRADES_DISTINCT_ON.replace("{only}", only)
    else:
        only = "WHERE org_id = :org" if org_id else ""
        sql = queries.LATEST_GRADES_SEEK.replace("{only}", only)
    latest: dict[str, dict[str, GradeHeld]] = {}
    for org, scheme, grade, passed, valid_until, on, origin, seq in view.fetch(
        sql, {**point.params(), "org": org_id}
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
    orgs = org_states(view, point, org_id)
    grades = latest_grades(view, point, org_id)
    live = queries.LIVE_PER_ORG.replace("{only}", "AND org_id = :org" if org_id else "")
    money = {
        org: SubsidyCount(count=count, total_fen=int(total))
        for org, count, total in view.fetch(live, {**point.params(), "org": org_id})
        if org in orgs
    }
    none = SubsidyCount(count=0, total_fen=0)
    found = [
        Organization(
            **org,
            grades=grades.get(org["org_id"], {}),
            subsidies=money.get(org["org_id"], none),
        )
        for org in orgs.values()
    ]
    return sorted(found, key=lambda o: (o.name or "", o.org_id))


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


@dataclass(frozen=True)
class RegistryFilter:
    """Which organizations a registry page shows (None: any)."""

    status: str | None = None
    legal_form: str | None = None
    area: str | None = None
    """A division code prefix of the organization's home."""
    grade: str | None = None
    """A grade in any scheme."""

    def matches(self, org: Organization) -> bool:
        """Whether ``org`` passes every filter given."""
        return (
            (self.status is None or org.status == self.status)
            and (self.legal_form is None or org.legal_form == self.legal_form)
            and (self.area is None or org.home.startswith(self.area))
            and (
                self.grade is None
                or any(g.grade == self.grade for g in org.grades.values())
            )
        )


def page(
    orgs: list[Organization],
    point: Point,
    only: RegistryFilter,
    offset: int,
    limit: int,
) -> RegistryPage:
    """The organizations ``only`` admits, from ``offset``, at most ``limit``."""
    found = [org for org in orgs if only.matches(org)]
    return RegistryPage(
        chain_broken=marks(point),
        total=len(found),
        offset=offset,
        limit=limit,
        items=found[offset : offset + limit],
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

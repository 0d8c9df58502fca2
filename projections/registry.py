"""The registry view: every organization a node knows, at any point, as plain data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.codes import TIERS
from domain.errors import InvalidFieldError, UnknownOrganizationError
from domain.identity import parse_org_reference
from projections import queries
from projections.orgs import org_states

if TYPE_CHECKING:
    from projections.view import LedgerView, Point


def latest_grades(
    view: LedgerView, point: Point, org_id: str | None = None
) -> dict[str, dict[str, dict[str, Any]]]:
    """org_id -> scheme -> its latest evaluation on the point's date."""
    if view.distinct_on:
        only = "AND org_id = :org" if org_id else ""
        sql = queries.LATEST_GRADES_DISTINCT_ON.replace("{only}", only)
    else:
        only = "WHERE org_id = :org" if org_id else ""
        sql = queries.LATEST_GRADES_SEEK.replace("{only}", only)
    latest: dict[str, dict[str, dict[str, Any]]] = {}
    for org, scheme, grade, passed, valid_until, on, origin, seq in view.fetch(
        sql, {**point.params(), "org": org_id}
    ):
        latest.setdefault(org, {})[scheme] = {
            "grade": grade,
            "passed": bool(passed),
            "evaluated_on": on,
            "valid_until": valid_until,
            "expired": bool(valid_until and valid_until <= point.as_of),
            "by": origin,
            "seq": seq,
        }
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
) -> list[dict[str, Any]]:
    """Organizations as of ``point`` (one, if ``org_id``), by name then id."""
    orgs = org_states(view, point, org_id)
    grades = latest_grades(view, point, org_id)
    live = queries.LIVE_PER_ORG.replace("{only}", "AND org_id = :org" if org_id else "")
    money = {
        org: {"count": count, "total_fen": int(total)}
        for org, count, total in view.fetch(live, {**point.params(), "org": org_id})
        if org in orgs
    }
    for org in orgs.values():
        org["grades"] = grades.get(org["org_id"], {})
        org["subsidies"] = money.get(org["org_id"], {"count": 0, "total_fen": 0})
    return sorted(orgs.values(), key=lambda o: (o["name"] or "", o["org_id"]))


def organization(view: LedgerView, point: Point, ref: str) -> dict[str, Any]:
    """One organization as of ``point``, with every fact about it and its subsidies."""
    org_id = resolve(view, ref)
    found = organizations(view, point, org_id)
    if not found:
        raise UnknownOrganizationError(
            f"organization {ref!r} is unknown at this node at that point", field="org"
        )
    org = found[0]
    params = {**point.params(), "org": org_id}
    org["timeline"] = sorted(
        (
            {"origin": o, "seq": s, "type": t, "tier": TIERS[len(o)],
             "effective_on": on, "recorded_at": at}
            for o, s, t, on, at in view.fetch(queries.TIMELINE, params)
        ),
        key=lambda f: (f["effective_on"], f["origin"], f["seq"]),
    )  # fmt: skip
    org["subsidy_decisions"] = [
        {"origin": o, "seq": s, "period": period, "program": program,
         "tier": TIERS[len(o)], "amount_fen": amount, "grade_scheme": basis_scheme,
         "grade": basis_grade, "decided_on": on, "revoked_on": revoked,
         "live": revoked is None or revoked > point.as_of}
        for o, s, period, program, amount, basis_scheme, basis_grade, on, revoked
        in view.fetch(queries.ORG_SUBSIDIES, params)
    ]  # fmt: skip
    return org


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
            f"filing number {ref!r} is used at several nodes; name one of {nodes}",
            field="org",
        )
    if not held:
        raise UnknownOrganizationError(
            f"organization {ref!r} is unknown at this node", field="org"
        )
    return str(held[0][0])

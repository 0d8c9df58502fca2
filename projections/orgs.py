"""What an organization is on a date: one definition, from its identity facts.

An organization's state is a function of the *set* of its filing, registration,
upgrade and deregistration facts known at a point — never of the order they arrived
in from different origins — so every tier that holds the same facts agrees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from projections import queries

if TYPE_CHECKING:
    from projections.view import LedgerView, Point


def org_states(
    view: LedgerView, point: Point, org_id: str | None = None
) -> dict[str, dict[str, Any]]:
    """Every organization that exists at the point (filed or registered by then)."""
    sql = queries.IDENTITY + (" AND org_id = :org" if org_id else "")
    facts: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    for row in view.fetch(sql, {**point.params(), "org": org_id}):
        facts.setdefault(row[0], {}).setdefault(row[1], []).append(row)
    return {
        org: state
        for org, by_type in facts.items()
        if (state := merge(org, by_type)) is not None
    }


def merge(
    org_id: str, by_type: dict[str, list[tuple[Any, ...]]]
) -> dict[str, Any] | None:
    """An organization's state from its identity facts; None if it does not exist yet.

    Of each kind of fact the earliest counts (by business date, then origin, then
    seq): the first registration is the registration, the first deregistration closes.
    """
    filing, reg, upgrade, closing = (
        _first(by_type.get(kind))
        for kind in (
            "OrganizationFiled",
            "OrganizationRegistered",
            "OrganizationUpgraded",
            "OrganizationDeregistered",
        )
    )
    if filing is None and reg is None and upgrade is None:
        return None  # only a deregistration is known: the organization is pending
    registered = reg or upgrade
    return {
        "org_id": org_id,
        "name": (reg or filing or {}).get("name"),
        "status": closing["outcome"]
        if closing
        else "registered"
        if registered
        else "filed",
        "legal_form": (reg or upgrade or {}).get("legal_form"),
        "uscc": (reg or upgrade or {}).get("uscc"),
        "filing_number": filing and filing["filing_number"],
        "filing_node": filing and filing["origin"],
        "category": filing and filing["category"],
        "community": (reg and reg["community"]) or (filing and filing["community"]),
        "filed_on": filing and filing["effective_on"],
        "registered_on": registered and registered["effective_on"],
        "registered_at": reg and reg["origin"],
        "upgraded_on": _upgraded_on(filing, upgrade or reg),
        "closed_on": closing and closing["effective_on"],
        "home": _home(filing, reg, upgrade),
    }


def _first(rows: list[tuple[Any, ...]] | None) -> dict[str, Any] | None:
    if not rows:
        return None
    first = rows[0] if len(rows) == 1 else min(rows, key=lambda r: (r[4], r[2], r[3]))
    return {
        "origin": first[2],
        "seq": first[3],
        "effective_on": first[4],
        "name": first[5],
        "category": first[6],
        "community": first[7],
        "uscc": first[8],
        "legal_form": first[9],
        "filing_number": first[10],
        "outcome": first[11],
    }


def _upgraded_on(
    filing: dict[str, Any] | None, registration: dict[str, Any] | None
) -> str | None:
    """A filed organization that registered was upgraded: on its registration day."""
    return registration["effective_on"] if filing and registration else None


def _home(*facts: dict[str, Any] | None) -> str:
    """Where an organization is: its community, else the node that filed or
    registered it (registration first: the registration may name a new community)."""
    filing, reg, upgrade = facts
    for fact in (reg, filing):
        if fact and fact["community"]:
            return str(fact["community"])
    for fact in (reg, filing, upgrade):
        if fact:
            return str(fact["origin"])
    raise AssertionError("an existing organization has a filing or registration")

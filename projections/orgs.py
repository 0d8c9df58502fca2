"""What an organization is on a date: one definition, from its identity facts.

An organization's state is a function of the *set* of its filing, registration,
upgrade and deregistration facts known at a point — never of the order they arrived
in from different origins — so every tier that holds the same facts agrees.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from projections import queries

if TYPE_CHECKING:
    from projections.queries import Scope
    from projections.view import LedgerView, Point


def org_states(
    view: LedgerView, point: Point, scope: Scope | None = None
) -> dict[str, dict[str, Any]]:
    """Every organization that exists at the point (filed or registered by then);
    only those in ``scope``, if given."""
    return {
        org: state
        for org, by_type in _identity_facts(view, point, scope).items()
        if (state := merge(org, by_type)) is not None
    }


Brief = tuple[str, str, str | None, bool]
"""What a roll-up counts of an organization: home, status, legal form, upgraded."""


def org_briefs(view: LedgerView, point: Point) -> dict[str, Brief]:
    """Every organization that exists at the point, in brief (``merge``'s rules)."""
    briefs: dict[str, Brief] = {}
    for org_id, by_type in _identity_facts(view, point).items():
        only = by_type.get("OrganizationFiled") if len(by_type) == 1 else None
        if only is not None and len(only) == 1:  # most: filed, nothing since
            briefs[org_id] = (_home(only[0], None, None), "filed", None, False)
            continue
        filing, reg, upgrade, closing = _firsts(by_type)
        if filing is None and reg is None and upgrade is None:
            continue
        briefs[org_id] = (
            _home(filing, reg, upgrade),
            _status(closing, reg or upgrade),
            _legal_form(reg, upgrade),
            _upgraded_on(filing, upgrade or reg) is not None,
        )
    return briefs


def _identity_facts(
    view: LedgerView, point: Point, scope: Scope | None = None
) -> dict[str, dict[str, list[Fact]]]:
    """Each organization's identity facts known at the point, by fact type (rows
    come ordered by organization, so each one's are grouped in a single pass)."""
    only = f" AND {scope.condition}" if scope else ""
    params = {**point.params(), **(scope.params if scope else {})}
    rows = view.fetch(queries.IDENTITY + only + " ORDER BY org_id", params)
    facts: dict[str, dict[str, list[Fact]]] = {}
    for org, group in groupby(rows, key=itemgetter(0)):
        by_type = facts[org] = {}
        for fact in group:
            by_type.setdefault(fact[1], []).append(fact)
    return facts


# Columns of a ``queries.IDENTITY`` row.
_ORIGIN, _SEQ, _ON, _NAME, _CATEGORY, _COMMUNITY, _USCC, _FORM, _NUMBER, _OUTCOME = (
    range(2, 12)
)
Fact = tuple[Any, ...]


def merge(org_id: str, by_type: dict[str, list[Fact]]) -> dict[str, Any] | None:
    """An organization's state from its identity facts; None if it does not exist yet.

    Of each kind of fact the earliest counts (by business date, then origin, then
    seq): the first registration is the registration, the first deregistration closes.
    """
    filing, reg, upgrade, closing = _firsts(by_type)
    if filing is None and reg is None and upgrade is None:
        return None  # only a deregistration is known: the organization is pending
    registered = reg or upgrade
    named = reg or filing
    formed = reg or upgrade
    return {
        "org_id": org_id,
        "name": named and named[_NAME],
        "status": _status(closing, registered),
        "legal_form": _legal_form(reg, upgrade),
        "uscc": formed and formed[_USCC],
        "filing_number": filing and filing[_NUMBER],
        "filing_node": filing and filing[_ORIGIN],
        "category": filing and filing[_CATEGORY],
        "community": (reg and reg[_COMMUNITY]) or (filing and filing[_COMMUNITY]),
        "filed_on": filing and filing[_ON],
        "registered_on": registered and registered[_ON],
        "registered_at": reg and reg[_ORIGIN],
        "upgraded_on": _upgraded_on(filing, upgrade or reg),
        "closed_on": closing and closing[_ON],
        "home": _home(filing, reg, upgrade),
    }


def _firsts(by_type: dict[str, list[Fact]]) -> tuple[Fact | None, ...]:
    """The first filing, registration, upgrade and deregistration, each or None."""
    filed = by_type.get("OrganizationFiled")
    if filed is not None and len(filed) == 1 and len(by_type) == 1:
        return filed[0], None, None, None  # most: filed, nothing since
    return tuple(_first(by_type.get(kind)) for kind in _KINDS)


_KINDS = (
    "OrganizationFiled",
    "OrganizationRegistered",
    "OrganizationUpgraded",
    "OrganizationDeregistered",
)


def _status(closing: Fact | None, registration: Fact | None) -> str:
    """Closed by the deregistration's outcome, else registered, else filed."""
    if closing:
        return str(closing[_OUTCOME])
    return "registered" if registration else "filed"


def _legal_form(reg: Fact | None, upgrade: Fact | None) -> str | None:
    """The registration's legal form (the upgrade's when no registration is known)."""
    formed = reg or upgrade
    if formed is None:
        return None
    form: str | None = formed[_FORM]
    return form


def _first(rows: list[Fact] | None) -> Fact | None:
    if not rows:
        return None
    return (
        rows[0]
        if len(rows) == 1
        else min(rows, key=lambda r: (r[_ON], r[_ORIGIN], r[_SEQ]))
    )


def _upgraded_on(filing: Fact | None, registration: Fact | None) -> str | None:
    """A filed organization that registered was upgraded: on its registration day."""
    return str(registration[_ON]) if filing and registration else None


def _home(filing: Fact | None, reg: Fact | None, upgrade: Fact | None) -> str:
    """Where an organization is: its community, else the node that filed or
    registered it (registration first: the registration may name a new community)."""
    for fact in (reg, filing):
        if fact and fact[_COMMUNITY]:
            return str(fact[_COMMUNITY])
    for fact in (reg, filing, upgrade):
        if fact:
            return str(fact[_ORIGIN])
    raise AssertionError("an existing organization has a filing or registration")

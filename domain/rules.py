"""What the journal's rules share: organization look-ups and the stateless checks.

Each fact type's own rule lives in its definition (``domain.fact_types``); it reads
the journal's state through ``OrganizationRules``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.codes import NodeCode
from domain.errors import (
    DuplicateUsccError,
    InvalidAmountError,
    InvalidFieldError,
    MissingFieldError,
    OrganizationClosedError,
    OutsideSubtreeError,
    SharesMismatchError,
    UnknownOrganizationError,
    UpgradeNotAllowedError,
)
from domain.facts import payload_names
from domain.grades import scheme as grade_scheme
from domain.identity import parse_org_reference
from domain.messages import Text
from domain.money import format_yuan
from domain.state import CLOSED, FILED, REVOKED, STATUS_WORDS
from domain.uscc import Uscc

if TYPE_CHECKING:
    from domain.facts import Fact
    from domain.ports import HeldOrganizations
    from domain.state import FactRef, OrgState, SubsidyState

    Fields = dict[str, Any]
    """A fact's fields, as parsed and as completed by its check."""
    Held = HeldOrganizations | None
    """Where the rules find organizations held only through descendants' facts."""


class OrganizationRules:
    """The journal's state as fact types' rules read it, and the look-ups they share."""

    node: str
    orgs: dict[str, OrgState]
    usccs: dict[str, str]
    filings: dict[str, str]
    subsidies: dict[str, SubsidyState]
    live_subsidies: dict[str, int]
    refs: dict[str, FactRef]
    evaluations: dict[str, int]
    """org_id|scheme|date -> the seq of that day's evaluation."""

    version: int
    """The seq of the journal's last fact (the aggregate's version)."""

    @property
    def code(self) -> NodeCode:
        """This journal's node code."""
        return NodeCode(self.node)

    def resolve(self, ref: str) -> str | None:
        """The org_id named by an org_id, USCC, NODE:filing-number or filing number."""
        found = parse_org_reference(ref)
        if found.uscc is not None:
            return self.usccs.get(found.uscc, found.org_id)
        if found.org_id is not None:
            return found.org_id
        return self.filings.get(found.filing_number or "")

    def known(self, ref: str, held: Held = None) -> OrgState:
        """The organization ``ref`` names, here or held through descendants."""
        org_id = self.resolve(ref)
        if org_id is not None and org_id in self.orgs:
            return self.orgs[org_id]
        # An organization this node knows only from its descendants' facts.
        found = held.held_org(org_id) if held and org_id is not None else None
        if found is None:
            raise UnknownOrganizationError(
                Text(
                    "organization {ref} is unknown at node {node}",
                    ref=repr(ref),
                    node=self.node,
                ),
                field="org",
            )
        return found

    def open_org(self, ref: str, held: Held = None) -> OrgState:
        """The organization ``ref`` names, refused once deregistered or revoked."""
        org = self.known(ref, held)
        if org["status"] in CLOSED:
            closed = (
                Text(
                    "{name} was revoked on {date}; only corrections may follow",
                    name=org["name"],
                    date=org["closed_on"],
                )
                if org["status"] == REVOKED
                else Text(
                    "{name} was deregistered on {date}; only corrections may follow",
                    name=org["name"],
                    date=org["closed_on"],
                )
            )
            raise OrganizationClosedError(closed, field="org")
        return org

    def check_filed_open(self, org: OrgState) -> None:
        """Refuse an upgrade of anything but an open filing."""
        if org["status"] != FILED or org["filing_closed"]:
            raise UpgradeNotAllowedError(
                Text(
                    "{name} is {status}, not an open filing; an upgrade happens "
                    "once, from filed status only",
                    name=org["name"],
                    status=STATUS_WORDS.get(org["status"], org["status"]),
                ),
                field="org",
            )

    def upgradable(self, ref: str) -> str:
        """The org_id of the filing a registration upgrades."""
        org_id = self.resolve(ref)
        if org_id is None:
            raise UnknownOrganizationError(
                Text(
                    "upgraded_from {ref} is not a filing of node {node}; give "
                    "NODE:FILING_NUMBER or the org_id for another node's filing",
                    ref=repr(ref),
                    node=self.node,
                ),
                field="upgraded_from",
            )
        if org_id in self.orgs:
            self.check_filed_open(self.orgs[org_id])
        return org_id

    def check_new_uscc(self, uscc: str, legal_form: str) -> None:
        """A USCC of the legal form's category, not yet registered here."""
        check_uscc_form(uscc, legal_form)
        if uscc in self.usccs:
            holder = self.orgs[self.usccs[uscc]]
            raise DuplicateUsccError(
                Text(
                    "USCC {uscc} is already registered at node {node} as {name}",
                    uscc=uscc,
                    node=self.node,
                    name=holder["name"],
                ),
                field="uscc",
                held_seq=holder["facts"][0],
            )

    def community_in_subtree(
        self, value: str | None, *, default_to_node: bool = True
    ) -> str | None:
        """A community inside this node (this node itself when it is one)."""
        if value is None:
            return (
                self.node if default_to_node and self.code.tier == "community" else None
            )
        if not self.code.contains(NodeCode(value)):
            raise OutsideSubtreeError(
                Text(
                    "community {community} lies outside node {node}",
                    community=value,
                    node=self.node,
                ),
                field="community",
            )
        return value


def complete(cls: type[Fact], fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` holding every payload field of ``cls``, absent optional ones None."""
    for name in payload_names(cls):
        if name not in fields:
            fields[name] = None
    # Input keys that name something else (``org``) were consumed by the checks.
    assert len(fields) == len(payload_names(cls)), sorted(fields)
    return fields


def check_uscc_form(uscc: str, legal_form: str) -> None:
    """A civil-affairs USCC whose category (position 2) matches the legal form."""
    code = Uscc.parse(uscc)
    if not code.is_civil_affairs:
        raise InvalidFieldError(
            Text(
                "USCC {uscc} is not issued by civil affairs (position 1 is {first}, "
                "expected 5)",
                uscc=uscc,
                first=uscc[0],
            ),
            field="uscc",
        )
    if code.category not in (legal_form, "other"):
        raise InvalidFieldError(
            Text(
                "USCC {uscc} is of category {category} but legal_form is {legal_form}",
                uscc=uscc,
                category=code.category,
                legal_form=legal_form,
            ),
            field="legal_form",
        )


def check_money(amount_fen: int, shares: dict[str, int]) -> None:
    """A positive amount that its funding shares add up to."""
    if amount_fen <= 0:
        raise InvalidAmountError(
            Text("a subsidy amount must be positive"), field="amount"
        )
    total = sum(shares.values())
    if total != amount_fen:
        raise SharesMismatchError(
            Text(
                "funding shares add up to {total} yuan but the amount is {amount} yuan",
                total=format_yuan(total),
                amount=format_yuan(amount_fen),
            ),
            field="shares",
        )


def check_grade_basis(f: dict[str, Any]) -> None:
    """Normalise the grade a decision cites: a scheme key and one of its grades."""
    if f.get("grade") is None:
        f["grade_scheme"] = None
        return
    if f.get("grade_scheme") is None:
        raise MissingFieldError(
            Text("grade needs grade_scheme (e.g. national or class)"),
            field="grade_scheme",
        )
    scheme = grade_scheme(f["grade_scheme"])
    f["grade_scheme"], f["grade"] = scheme.key, scheme.parse_grade(f["grade"])

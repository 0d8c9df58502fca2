"""The rules about organizations that a journal checks before recording a fact."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain import facts
from domain.codes import NodeCode
from domain.commands import parse_replacement
from domain.errors import (
    DuplicateEvaluationError,
    DuplicateFilingError,
    DuplicateSubsidyError,
    DuplicateUsccError,
    GradeSchemeMismatchError,
    InvalidAmountError,
    InvalidFieldError,
    MissingFieldError,
    NotCorrectableError,
    OrganizationClosedError,
    OutsideSubtreeError,
    SharesMismatchError,
    UnknownFactError,
    UnknownOrganizationError,
    UpgradeNotAllowedError,
)
from domain.grades import scheme as grade_scheme
from domain.identity import (
    org_id_for_filing,
    org_id_for_uscc,
    parse_org_reference,
)
from domain.money import format_yuan
from domain.policy import PolicyAdopted
from domain.state import CLOSED, FILED, subsidy_key
from domain.uscc import Uscc
from domain.values import add_years

if TYPE_CHECKING:
    from domain.ports import HeldOrganizations
    from domain.state import FactRef, OrgState, SubsidyState

    Fields = dict[str, Any]
    """A fact's fields, as parsed and as completed by its check."""
    Held = HeldOrganizations | None
    """Where the rules find organizations held only through descendants' facts."""


class OrganizationRules:
    """Checks for organization facts; each returns the fact's full payload or raises."""

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

    def check_organization_filed(
        self, f: dict[str, Any], held: Held = None
    ) -> dict[str, Any]:
        number = f["filing_number"]
        if number in self.filings:
            holder = self.orgs[self.filings[number]]
            raise DuplicateFilingError(
                f"filing number {number} is already used at node {self.node} "
                f"by {holder['name']} (seq {holder['facts'][0]})",
                field="filing_number",
                held_seq=holder["facts"][0],
            )
        f["community"] = self._community(f.get("community"))
        f["org_id"] = str(org_id_for_filing(self.code, number))
        return _complete(facts.OrganizationFiled, f)

    def check_organization_registered(
        self, f: dict[str, Any], held: Held = None
    ) -> dict[str, Any]:
        self._check_new_uscc(f["uscc"], f["legal_form"])
        f["community"] = self._community(f.get("community"), default_to_node=False)
        upgraded = f.get("upgraded_from")
        if upgraded is not None:
            f["upgraded_from"] = self._upgradable(upgraded)
        f["org_id"] = f.get("upgraded_from") or str(org_id_for_uscc(f["uscc"]))
        return _complete(facts.OrganizationRegistered, f)

    def check_organization_upgraded(
        self, f: dict[str, Any], held: Held = None
    ) -> dict[str, Any]:
        org = self._known(f.pop("org"), held)
        if org["filing_node"] != self.node:
            raise UpgradeNotAllowedError(
                f"{org['name']} was not filed at node {self.node}; only its filing "
                f"node records the upgrade",
                field="org",
            )
        self._check_filed_open(org)
        self._check_new_uscc(f["uscc"], f["legal_form"])
        f["org_id"] = org["org_id"]
        return _complete(facts.OrganizationUpgraded, f)

    def check_organization_deregistered(
        self, f: dict[str, Any], held: Held = None
    ) -> dict[str, Any]:
        org = self._open_org(f.pop("org"), held)
        f.setdefault("outcome", "deregistered")
        f["org_id"] = org["org_id"]
        return _complete(facts.OrganizationDeregistered, f)

    def check_grade_evaluated(
        self, f: dict[str, Any], held: Held = None
    ) -> dict[str, Any]:
        org = self._open_org(f.pop("org"), held)
        scheme = grade_scheme(f["scheme"])
        f["scheme"], f["grade"] = scheme.key, scheme.parse_grade(f["grade"])
        if org["status"] != scheme.applies_to:
            raise GradeSchemeMismatchError(
                f"scheme {scheme.key!r} grades {scheme.applies_to} organizations; "
                f"{org['name']} is {org['status']}",
                field="scheme",
            )
        evaluated = f"{org['org_id']}|{scheme.key}|{f['effective_on']}"
        if evaluated in self.evaluations:
            raise DuplicateEvaluationError(
                f"{org['name']} was already evaluated under {scheme.key} on "
                f"{f['effective_on']} (seq {self.evaluations[evaluated]}); correct "
                f"that fact (FactCorrected) rather than evaluating twice",
                field="effective_on",
                held_seq=self.evaluations[evaluated],
            )
        f["passed"] = scheme.passed(f["grade"])
        f["valid_until"] = (
            add_years(f["effective_on"], scheme.valid_years) if f["passed"] else None
        )
        f["org_id"] = org["org_id"]
        return _complete(facts.GradeEvaluated, f)

    def check_subsidy_decided(
        self, f: dict[str, Any], held: Held = None
    ) -> dict[str, Any]:
        org = self._open_org(f.pop("org"), held)
        check_money(f["amount_fen"], f["shares"])
        check_grade_basis(f)
        key = subsidy_key(org["org_id"], f["program"], f["period"])
        if key in self.live_subsidies:
            raise DuplicateSubsidyError(
                f"{org['name']} already has a live subsidy for {f['program']} "
                f"{f['period']} at this node (seq {self.live_subsidies[key]}); "
                f"revoke it before deciding again",
                field="program",
                held_seq=self.live_subsidies[key],
            )
        f["org_id"] = org["org_id"]
        return _complete(facts.SubsidyDecided, f)

    def check_subsidy_revoked(
        self, f: dict[str, Any], held: Held = None
    ) -> dict[str, Any]:
        # Revoking stays possible after deregistration: it stops money, it pays none.
        seq = f["decision_seq"]
        subsidy = self.subsidies.get(str(seq))
        if subsidy is None:
            raise UnknownFactError(
                f"seq {seq} is not a subsidy decision of node {self.node}",
                field="decision_seq",
            )
        if not subsidy["live"]:
            raise UnknownFactError(
                f"the subsidy of seq {seq} is already revoked", field="decision_seq"
            )
        f["org_id"] = subsidy["org_id"]
        return _complete(facts.SubsidyRevoked, f)

    def check_policy_adopted(
        self, f: dict[str, Any], held: Held = None
    ) -> dict[str, Any]:
        # Parsing checked the programs; a policy needs nothing from the journal.
        return _complete(PolicyAdopted, f)

    def check_fact_corrected(
        self, f: dict[str, Any], held: Held = None
    ) -> dict[str, Any]:
        ref = self.refs.get(str(f["corrects_seq"]))
        if ref is None and f["corrects_seq"] <= self.version:
            raise NotCorrectableError(
                f"fact seq {f['corrects_seq']} at node {self.node} is not a fact "
                f"about an organization; only those can be corrected",
                field="corrects_seq",
            )
        if ref is None:
            raise UnknownFactError(
                f"fact seq {f['corrects_seq']} does not exist at node {self.node} "
                f"(its journal ends at seq {self.version})",
                field="corrects_seq",
            )
        replacement = parse_replacement(ref["type"], f["replacement"])
        f["replacement"] = self._checked_replacement(
            f["corrects_seq"], ref, replacement
        )
        f["org_id"] = ref["org_id"]
        return _complete(facts.FactCorrected, f)

    def _checked_replacement(
        self, seq: int, ref: FactRef, new: dict[str, Any]
    ) -> dict[str, Any]:
        if "community" in new:
            new["community"] = self._community(new["community"])
        if ref["type"] == "GradeEvaluated" and (
            "grade" in new or "effective_on" in new
        ):
            scheme = grade_scheme(ref["scheme"])
            grade = scheme.parse_grade(new.get("grade", ref.get("grade")))
            new["grade"], new["passed"] = grade, scheme.passed(grade)
            day = new.get("effective_on", ref["effective_on"])
            new["valid_until"] = (
                add_years(day, scheme.valid_years) if new["passed"] else None
            )
        if ref["type"] == "SubsidyDecided":
            old = self.subsidies[str(seq)]
            check_money(
                new.get("amount_fen", old["amount_fen"]),
                new.get("shares", old["shares"]),
            )
            basis = {"grade_scheme": old["grade_scheme"], "grade": old["grade"]} | new
            check_grade_basis(basis)
            new.update((k, basis[k]) for k in ("grade_scheme", "grade") if k in new)
        return new

    # Organization look-ups.

    def resolve(self, ref: str) -> str | None:
        """The org_id named by an org_id, USCC, NODE:filing-number or filing number."""
        found = parse_org_reference(ref)
        if found.uscc is not None:
            return self.usccs.get(found.uscc, found.org_id)
        if found.org_id is not None:
            return found.org_id
        return self.filings.get(found.filing_number or "")

    def _known(self, ref: str, held: Held = None) -> OrgState:
        org_id = self.resolve(ref)
        if org_id is not None and org_id in self.orgs:
            return self.orgs[org_id]
        # An organization this node knows only from its descendants' facts.
        found = held.held_org(org_id) if held and org_id is not None else None
        if found is None:
            raise UnknownOrganizationError(
                f"organization {ref!r} is unknown at node {self.node}", field="org"
            )
        return found

    def _open_org(self, ref: str, held: Held = None) -> OrgState:
        org = self._known(ref, held)
        if org["status"] in CLOSED:
            raise OrganizationClosedError(
                f"{org['name']} was {org['status']} on {org['closed_on']}; only "
                f"corrections may follow",
                field="org",
            )
        return org

    def _check_filed_open(self, org: OrgState) -> None:
        if org["status"] != FILED or org["filing_closed"]:
            raise UpgradeNotAllowedError(
                f"{org['name']} is {org['status']}, not an open filing; an upgrade "
                f"happens once, from filed status only",
                field="org",
            )

    def _upgradable(self, ref: str) -> str:
        org_id = self.resolve(ref)
        if org_id is None:
            raise UnknownOrganizationError(
                f"upgraded_from {ref!r} is not a filing of node {self.node}; give "
                f"NODE:FILING_NUMBER or the org_id for another node's filing",
                field="upgraded_from",
            )
        if org_id in self.orgs:
            self._check_filed_open(self.orgs[org_id])
        return org_id

    def _check_new_uscc(self, uscc: str, legal_form: str) -> None:
        check_uscc_form(uscc, legal_form)
        if uscc in self.usccs:
            holder = self.orgs[self.usccs[uscc]]
            raise DuplicateUsccError(
                f"USCC {uscc} is already registered at node {self.node} as "
                f"{holder['name']}",
                field="uscc",
                held_seq=holder["facts"][0],
            )

    def _community(
        self, value: str | None, *, default_to_node: bool = True
    ) -> str | None:
        if value is None:
            return (
                self.node if default_to_node and self.code.tier == "community" else None
            )
        if not self.code.contains(NodeCode(value)):
            raise OutsideSubtreeError(
                f"community {value} lies outside node {self.node}", field="community"
            )
        return value


def _complete(cls: type[facts.Fact], fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` holding every payload field of ``cls``, absent optional ones None."""
    for name in facts.payload_names(cls):
        if name not in fields:
            fields[name] = None
    # Input keys that name something else (``org``) were consumed by the checks.
    assert len(fields) == len(facts.payload_names(cls)), sorted(fields)
    return fields


def check_uscc_form(uscc: str, legal_form: str) -> None:
    """A civil-affairs USCC whose category (position 2) matches the legal form."""
    code = Uscc.parse(uscc)
    if not code.is_civil_affairs:
        raise InvalidFieldError(
            f"USCC {uscc} is not issued by civil affairs (position 1 is "
            f"{uscc[0]}, expected 5)",
            field="uscc",
        )
    if code.category not in (legal_form, "other"):
        raise InvalidFieldError(
            f"USCC {uscc} is of category {code.category} but legal_form is "
            f"{legal_form}",
            field="legal_form",
        )


def check_money(amount_fen: int, shares: dict[str, int]) -> None:
    """A positive amount that its funding shares add up to."""
    if amount_fen <= 0:
        raise InvalidAmountError("a subsidy amount must be positive", field="amount")
    total = sum(shares.values())
    if total != amount_fen:
        raise SharesMismatchError(
            f"funding shares add up to {format_yuan(total)} yuan but the amount is "
            f"{format_yuan(amount_fen)} yuan",
            field="shares",
        )


def check_grade_basis(f: dict[str, Any]) -> None:
    """Normalise the grade a decision cites: a scheme key and one of its grades."""
    if f.get("grade") is None:
        f["grade_scheme"] = None
        return
    if f.get("grade_scheme") is None:
        raise MissingFieldError(
            "grade needs grade_scheme (e.g. national or class)", field="grade_scheme"
        )
    scheme = grade_scheme(f["grade_scheme"])
    f["grade_scheme"], f["grade"] = scheme.key, scheme.parse_grade(f["grade"])

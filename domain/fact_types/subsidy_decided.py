"""SubsidyDecided: money decided for an organization, split across funding sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain import inputs
from domain.definition import FactType
from domain.errors import DuplicateSubsidyError, InvalidFieldError
from domain.facts import Fact
from domain.grades import scheme as grade_scheme
from domain.grades import schemes_of
from domain.inputs import FieldSpec
from domain.messages import Text
from domain.rules import check_grade_basis, check_money, complete
from domain.state import subsidy_key
from domain.stored_fields import (
    clerk_fields,
    derived,
    same,
    stored_rule,
    stored_uuid,
)
from domain.stored_refusals import refusing

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.state import FactRef
    from domain.stored_fields import Stored

REPLACEMENT = "payload.replacement"


class SubsidyDecided(Fact):
    """Money decided for an organization, split across funding sources ("1+3+X")."""

    org_id: str
    program: str
    period: str
    amount_fen: int
    shares: dict[str, int]
    grade_scheme: str | None
    grade: str | None
    note: str | None

    correctable: ClassVar[frozenset[str]] = frozenset(
        {"amount_fen", "shares", "grade_scheme", "grade", "note", "effective_on"}
    )

    def evolve(self, journal: Journal) -> None:
        journal.subsidies[str(self.seq)] = {
            "seq": self.seq,
            "org_id": self.org_id,
            "program": self.program,
            "period": self.period,
            "amount_fen": self.amount_fen,
            "shares": self.shares,  # facts never change: no copy needed
            "grade_scheme": self.grade_scheme,
            "grade": self.grade,
            "decided_on": self.effective_on,
            "live": True,
        }
        key = subsidy_key(self.org_id, self.program, self.period)
        journal.live_subsidies[key] = self.seq


def check(
    journal: OrganizationRules, f: dict[str, Any], held: HeldOrganizations | None
) -> dict[str, Any]:
    """An open organization, money that adds up, one live decision per period."""
    org = journal.open_org(f.pop("org"), held)
    check_money(f["amount_fen"], f["shares"])
    check_grade_basis(f)
    key = subsidy_key(org["org_id"], f["program"], f["period"])
    if key in journal.live_subsidies:
        raise DuplicateSubsidyError(
            Text(
                "{name} already has a live subsidy for {program} {period} at this "
                "node (seq {seq}); revoke it before deciding again",
                name=org["name"],
                program=f["program"],
                period=f["period"],
                seq=journal.live_subsidies[key],
            ),
            field="program",
            held_seq=journal.live_subsidies[key],
        )
    f["org_id"] = org["org_id"]
    return complete(SubsidyDecided, f)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A clerk's fields, money that adds up, a grade of the scheme it cites."""
    clerk_fields(FACT_TYPE, p, stored)
    stored_uuid(p["org_id"], "payload.org_id")
    stored_rule(check_money, p["amount_fen"], p["shares"])
    basis = {"grade_scheme": p["grade_scheme"], "grade": p["grade"]}
    stored_rule(check_grade_basis, basis)
    for key in ("grade_scheme", "grade"):
        derived(f"payload.{key}", p[key], basis[key])


def revise(
    journal: OrganizationRules, seq: int, ref: FactRef, new: dict[str, Any]
) -> None:
    """Corrected money still adds up; a corrected grade is its scheme's."""
    old = journal.subsidies[str(seq)]
    check_money(
        new.get("amount_fen", old["amount_fen"]),
        new.get("shares", old["shares"]),
    )
    basis = {"grade_scheme": old["grade_scheme"], "grade": old["grade"]} | new
    check_grade_basis(basis)
    new.update((k, basis[k]) for k in ("grade_scheme", "grade") if k in new)


def check_replacement(r: Mapping[str, Any], stored: Stored) -> None:
    """A corrected amount is positive; corrected shares add up to it (to the amount
    they keep otherwise, which is positive too); a cited grade is its scheme's."""
    amount, shares = r.get("amount_fen"), r.get("shares")
    with refusing(f"{REPLACEMENT}.amount_fen"):
        if shares is not None:
            check_money(sum(shares.values()) if amount is None else amount, shares)
        elif amount is not None:
            check_money(amount, {"": amount})
    if "grade" in r and "grade_scheme" in r:
        basis = {"grade_scheme": r["grade_scheme"], "grade": r["grade"]}
        with refusing(f"{REPLACEMENT}.grade"):
            check_grade_basis(basis)
        for key in ("grade_scheme", "grade"):
            derived(f"{REPLACEMENT}.{key}", r[key], basis[key])
    elif "grade" in r and not schemes_of(r["grade"]):
        field = f"{REPLACEMENT}.grade"
        raise InvalidFieldError(
            Text("{field} is a grade of no scheme", field=field), field=field
        )
    elif r.get("grade_scheme") is not None:
        field = f"{REPLACEMENT}.grade_scheme"
        same(lambda v, _: grade_scheme(v).key, r["grade_scheme"], field)


def on_correction(
    journal: Journal, seq: int, ref: FactRef, replacement: dict[str, Any]
) -> None:
    """The decision's money, grade basis and date, as corrected."""
    subsidy = journal.subsidies[str(seq)]
    for key in ("amount_fen", "shares", "grade_scheme", "grade"):
        if key in replacement:
            subsidy[key] = replacement[key]
    if "effective_on" in replacement:
        subsidy["decided_on"] = replacement["effective_on"]


FACT_TYPE = FactType(
    SubsidyDecided,
    check_stored,
    inputs=(
        inputs.ORG,
        FieldSpec("program", "program", inputs.text(100), required=True),
        FieldSpec("period", "period", inputs.identifier(20), required=True),
        *inputs.MONEY,
        FieldSpec("grade_scheme", "grade_scheme", inputs.text(40)),
        FieldSpec("grade", "grade", inputs.text(20)),
        FieldSpec("note", "note", inputs.optional_text()),
        inputs.DATE,
    ),
    rule=check,
    required_targets=("amount_fen", "shares"),
    own_field="org_id",
    nullable_on_correction=frozenset({"grade_scheme"}),
    revise=revise,
    check_replacement=check_replacement,
    on_correction=on_correction,
)

# ruff: noqa: E501  (the table of forms reads best with one field to a line)
"""The 录入 forms: each kind's fields, the fact a filled form becomes, and where each
of the ledger's errors goes (beside the field it names).

A form field is named for its place in the fact's data (``responsible_person.phone``
→ ``person_phone``) so the ledger's own checks, the ones the API and the command
line run, judge every form: the web validates nothing a second way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from domain.categories import shipped_categories
from domain.grades import shipped_schemes
from domain.messages import Text
from domain.money import FUNDING_SOURCES
from domain.values import LegalForm
from projections.words import SCHEMES

Kind = Literal["text", "date", "select", "yuan", "number", "textarea", "hidden"]
_MONEY_NOISE = re.compile(r"[\s,，¥￥]")


@dataclass(frozen=True)
class Field:
    """One input: its form name, where its value goes in the fact, its label."""

    name: str
    path: str
    label: Text
    kind: Kind = "text"
    hint: Text | None = None
    required: bool = False
    options: tuple[tuple[str, str | Text], ...] = ()
    """(value, shown): shown as it is, or in the reader's language when a ``Text``."""


@dataclass(frozen=True)
class Form:
    """One kind of fact a clerk records through the web."""

    slug: str
    fact_type: str
    title: Text
    fields: tuple[Field, ...]
    about: Text
    money: bool = field(default=False)
    """Whether the form takes money (its shares add up live, the bands shown)."""


def _categories() -> tuple[tuple[str, str], ...]:
    return tuple((c.name, c.name) for c in shipped_categories())


def _forms() -> tuple[tuple[str, str], ...]:
    return tuple((f.value, f.label) for f in LegalForm)


def _schemes() -> tuple[tuple[str, str | Text], ...]:
    return tuple((key, Text(SCHEMES.get(key, key))) for key in shipped_schemes())


ON = Field("effective_on", "effective_on", Text("In force from"), "date",
           Text("The business date it takes effect. Blank: today."))  # fmt: skip
ORG = Field("org", "org", Text("Organization"), required=True,
            hint=Text("Its filing number, credit code or id."))  # fmt: skip
SOURCES = {"lottery": Text("Welfare-lottery fund (yuan)"),
           "district": Text("District budget (yuan)"),
           "street": Text("Street budget (yuan)"),
           "community": Text("Community budget (yuan)"),
           "social": Text("Social funds (yuan)")}  # fmt: skip

FORMS: dict[str, Form] = {
    form.slug: form
    for form in (
        Form("filing", "OrganizationFiled", Text("File an organization"), (
            Field("name", "name", Text("Organization name"), required=True),
            Field("filing_number", "filing_number", Text("Filing number"), required=True,
                  hint=Text("As written on the filing certificate, e.g. 招宝山备2024-001.")),
            Field("category", "category", Text("Category"), "select", required=True,
                  options=_categories()),
            Field("community", "community", Text("Community"), "select"),
            Field("person_name", "responsible_person.name", Text("Responsible person")),
            Field("person_phone", "responsible_person.phone", Text("Phone"),
                  hint=Text("Personal data: shown masked everywhere.")),
            Field("member_count", "member_count", Text("Members"), "number"),
            Field("venue", "venue", Text("Venue")),
            Field("guiding_unit", "guiding_unit", Text("Guiding unit")),
            ON,
        ), Text("A grassroots organization filed (备案) at this node.")),
        Form("registration", "OrganizationRegistered", Text("Register an organization"), (
            Field("name", "name", Text("Organization name"), required=True),
            Field("uscc", "uscc", Text("Unified social credit code"), required=True,
                  hint=Text("18 characters, the last a check character.")),
            Field("legal_form", "legal_form", Text("Legal form"), "select", required=True,
                  options=_forms()),
            Field("community", "community", Text("Community"), "select"),
            ON,
        ), Text("An organization registered (登记) by the civil-affairs bureau.")),
        Form("upgrade", "OrganizationUpgraded", Text("Upgrade a filing to registration"), (
            ORG,
            Field("uscc", "uscc", Text("Unified social credit code"), required=True),
            Field("legal_form", "legal_form", Text("Legal form"), "select", required=True,
                  options=_forms()),
            ON,
        ), Text("A filed organization of this node, registered since.")),
        Form("grade", "GradeEvaluated", Text("Record a grade evaluation"), (
            ORG,
            Field("scheme", "scheme", Text("Grading scheme"), "select", required=True,
                  options=_schemes()),
            Field("grade", "grade", Text("Grade"), required=True,
                  hint=Text("e.g. 一类, 二类, 三类, 不合格; 1A–5A; 一星–五星.")),
            Field("score", "score", Text("Score"), "number"),
            Field("note", "note", Text("Note"), "textarea"),
            ON,
        ), Text("The outcome of an evaluation.")),
        Form("subsidy", "SubsidyDecided", Text("Record a subsidy decision"), (
            ORG,
            Field("program", "program", Text("Program"), required=True),
            Field("period", "period", Text("Period"), required=True,
                  hint=Text("The year it is for, e.g. 2024.")),
            Field("amount", "amount", Text("Amount (yuan)"), "yuan", required=True,
                  hint=Text("e.g. 3,500.00 — at most two decimals.")),
            *(Field(f"share_{s}", f"shares.{s}", SOURCES[s], "yuan")
              for s in FUNDING_SOURCES),
            Field("grade_scheme", "grade_scheme", Text("Grading scheme it rests on"),
                  "select", options=_schemes()),
            Field("grade", "grade", Text("Grade it rests on")),
            Field("note", "note", Text("Note"), "textarea"),
            ON,
        ), Text("Money decided for an organization, split by funding source (1+3+X)."),
            money=True),
        Form("correction", "FactCorrected", Text("Correct a fact"), (
            Field("corrects_seq", "corrects_seq", Text("Fact to correct (seq)"), "number",
                  required=True),
            Field("corrected_field", "", Text("Field to correct"), required=True,
                  hint=Text("e.g. name, effective_on, amount_fen.")),
            Field("corrected_value", "", Text("Correct value"), required=True),
            Field("reason", "reason", Text("Reason"), "textarea", required=True),
            ON,
        ), Text("A fact recorded here, corrected: the original stays, the correction "
                "is in force from its date.")),
        Form("deregistration", "OrganizationDeregistered", Text("Record a deregistration"), (
            ORG,
            Field("outcome", "outcome", Text("Outcome"), "select",
                  options=(("deregistered", "注销"), ("revoked", "撤销登记"))),
            Field("reason", "reason", Text("Reason"), "textarea"),
            ON,
        ), Text("An organization closed.")),
        Form("revocation", "SubsidyRevoked", Text("Revoke a subsidy"), (
            Field("decision_seq", "decision_seq", Text("Decision to revoke (seq)"),
                  "number", required=True),
            Field("reason", "reason", Text("Reason"), "textarea", required=True),
            ON,
        ), Text("A subsidy decided here, revoked from a date.")),
    )
}  # fmt: skip


def fact_data(form: Form, given: dict[str, str]) -> dict[str, Any]:
    """The fact's data from a filled form: blanks left out, money tidied (thousands
    separators and ¥ dropped), numbers as numbers when they are."""
    data: dict[str, Any] = {}
    for f in form.fields:
        value = given.get(f.name, "").strip()
        if not value or not f.path:
            continue
        if f.kind == "yuan":
            value = _MONEY_NOISE.sub("", value)
        _put(
            data,
            f.path,
            int(value) if f.kind == "number" and value.isdigit() else value,
        )
    if form.fact_type == "FactCorrected":
        name = given.get("corrected_field", "").strip()
        if name:
            data["replacement"] = {name: given.get("corrected_value", "").strip()}
    return data


def _put(data: dict[str, Any], path: str, value: object) -> None:
    outer, _, inner = path.partition(".")
    if inner:
        data.setdefault(outer, {})[inner] = value
    else:
        data[outer] = value


def field_of(form: Form, error_field: str | None) -> str:
    """The form field a ledger error names (its first field when none fits)."""
    if error_field:
        for f in form.fields:
            if f.path and (
                error_field == f.path or error_field.startswith(f.path + ".")
            ):
                return f.name
        if error_field.startswith("replacement"):
            return "corrected_value"
        if error_field in ("shares", "shares_fen"):
            return "amount"
        if error_field == "amount_fen":
            return "amount"
    return form.fields[0].name


def shares_total(given: dict[str, str]) -> str | None:
    """The funding shares given, added up in yuan (None: none given, or one unreadable)."""
    from decimal import Decimal, InvalidOperation

    total = Decimal(0)
    seen = False
    for source in FUNDING_SOURCES:
        text = _MONEY_NOISE.sub("", given.get(f"share_{source}", ""))
        if not text:
            continue
        try:
            total += Decimal(text)
        except InvalidOperation:
            return None
        seen = True
    return f"{total:,.2f}" if seen else None

"""GradeEvaluated: an evaluation result under one grade scheme."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from domain import inputs
from domain.definition import FactType
from domain.errors import (
    DuplicateEvaluationError,
    GradeSchemeMismatchError,
    InvalidFieldError,
)
from domain.facts import Fact
from domain.grades import scheme as grade_scheme
from domain.grades import schemes_of
from domain.inputs import FieldSpec
from domain.messages import Text
from domain.rules import complete
from domain.state import STATUS_WORDS
from domain.stored_fields import (
    Stored,
    clerk_fields,
    derived,
    same,
    stored_bool,
    stored_date,
    stored_uuid,
)
from domain.values import add_years, parse_count

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.grades import GradeScheme
    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.state import FactRef

REPLACEMENT = "payload.replacement"
_GRADE = frozenset({"grade", "passed", "valid_until"})


class GradeEvaluated(Fact):
    """An evaluation result under one scheme (not passed is a result, not a grade)."""

    org_id: str
    scheme: str
    grade: str
    passed: bool
    valid_until: str | None
    score: int | None
    note: str | None

    correctable: ClassVar[frozenset[str]] = frozenset(
        {"grade", "score", "note", "effective_on"}
    )

    def evolve(self, journal: Journal) -> None:
        key = f"{self.org_id}|{self.scheme}|{self.effective_on}"
        journal.evaluations[key] = self.seq
        if self.org_id not in journal.orgs:
            return  # held only through descendants' facts: the views keep its grades
        journal.orgs[self.org_id]["grades"][self.scheme] = {
            "grade": self.grade,
            "passed": self.passed,
            "evaluated_on": self.effective_on,
            "valid_until": self.valid_until,
            "score": self.score,
            "seq": self.seq,
        }


def check(
    journal: OrganizationRules, f: dict[str, Any], held: HeldOrganizations | None
) -> dict[str, Any]:
    """An open organization the scheme grades, once a day; passed and validity."""
    org = journal.open_org(f.pop("org"), held)
    scheme = grade_scheme(f["scheme"])
    f["scheme"], f["grade"] = scheme.key, scheme.parse_grade(f["grade"])
    if org["status"] != scheme.applies_to:
        raise GradeSchemeMismatchError(
            Text(
                "scheme {scheme} grades {applies_to} organizations; {name} is {status}",
                scheme=repr(scheme.key),
                applies_to=STATUS_WORDS.get(scheme.applies_to, scheme.applies_to),
                name=org["name"],
                status=STATUS_WORDS.get(org["status"], org["status"]),
            ),
            field="scheme",
        )
    evaluated = f"{org['org_id']}|{scheme.key}|{f['effective_on']}"
    if evaluated in journal.evaluations:
        raise DuplicateEvaluationError(
            Text(
                "{name} was already evaluated under {scheme} on {date} (seq {seq}); "
                "correct that fact (FactCorrected) rather than evaluating twice",
                name=org["name"],
                scheme=scheme.key,
                date=f["effective_on"],
                seq=journal.evaluations[evaluated],
            ),
            field="effective_on",
            held_seq=journal.evaluations[evaluated],
        )
    f["passed"] = scheme.passed(f["grade"])
    f["valid_until"] = (
        add_years(f["effective_on"], scheme.valid_years) if f["passed"] else None
    )
    f["org_id"] = org["org_id"]
    return complete(GradeEvaluated, f)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A clerk's fields in their scheme's form; passed and validity as derived."""
    clerk_fields(FACT_TYPE, p, stored)
    stored_uuid(p["org_id"], "payload.org_id")
    same(lambda v, _: grade_scheme(v).key, p["scheme"], "payload.scheme")
    scheme = grade_scheme(p["scheme"])
    same(lambda v, _: scheme.parse_grade(v), p["grade"], "payload.grade")
    passed = scheme.passed(p["grade"])
    derived("payload.passed", stored_bool(p["passed"], "payload.passed"), passed)
    days = add_years(p["effective_on"], scheme.valid_years) if passed else None
    derived("payload.valid_until", p["valid_until"], days)


def revise(
    journal: OrganizationRules, seq: int, ref: FactRef, new: dict[str, Any]
) -> None:
    """A corrected grade or date derives passed and validity again."""
    if "grade" not in new and "effective_on" not in new:
        return
    scheme = grade_scheme(ref["scheme"])
    grade = scheme.parse_grade(new.get("grade", ref.get("grade")))
    new["grade"], new["passed"] = grade, scheme.passed(grade)
    day = new.get("effective_on", ref["effective_on"])
    new["valid_until"] = add_years(day, scheme.valid_years) if new["passed"] else None


def check_replacement(r: Mapping[str, Any], stored: Stored) -> None:
    """A corrected grade or date carries the grade, ``passed`` and ``valid_until``
    the journal derives again; score and note alone carry none of them."""
    if "grade" not in r and "effective_on" not in r:
        if r.keys() & _GRADE:
            raise InvalidFieldError(
                Text(
                    "{field} derives passed and valid_until only with a grade or date",
                    field=REPLACEMENT,
                ),
                field=REPLACEMENT,
            )
        return
    if not r.keys() >= _GRADE:
        raise InvalidFieldError(
            Text(
                "{field} of a grade or date holds grade, passed and valid_until",
                field=REPLACEMENT,
            ),
            field=REPLACEMENT,
        )
    grade, passed = r["grade"], stored_bool(r["passed"], f"{REPLACEMENT}.passed")
    schemes = [s for s in schemes_of(grade) if s.passed(grade) == passed]
    if not schemes:
        field = f"{REPLACEMENT}.grade"
        raise InvalidFieldError(
            Text(
                "{field} is no grade of a scheme with passed {passed}",
                field=field,
                passed=passed,
            ),
            field=field,
        )
    _valid_until(r, schemes[0], passed, stored)


def _valid_until(
    r: Mapping[str, Any], scheme: GradeScheme, passed: bool, stored: Stored
) -> None:
    field, value = f"{REPLACEMENT}.valid_until", r["valid_until"]
    if not passed or "effective_on" in r:
        days = add_years(r["effective_on"], scheme.valid_years) if passed else None
        derived(field, value, days)
        return
    # The evaluation's own date lies in its origin's journal: any day it could give.
    latest = _years_after(stored.latest, scheme.valid_years)
    stored_date(value, field, Stored(stored.node, stored.seq, latest))


def on_correction(
    journal: Journal, seq: int, ref: FactRef, replacement: dict[str, Any]
) -> None:
    """The corrected grade, as later corrections see it and, unless superseded since,
    as the organization holds it."""
    if "grade" in replacement:
        ref["grade"] = replacement["grade"]
    org_id = ref["org_id"]
    if org_id not in journal.orgs:
        return  # held only through descendants' facts: the views revise it
    for state in journal.orgs[org_id]["grades"].values():
        if state["seq"] != seq:
            continue  # a later evaluation already superseded the corrected one
        for key in ("grade", "passed", "valid_until", "score"):
            if key in replacement:
                state[key] = replacement[key]
        if "effective_on" in replacement:
            state["evaluated_on"] = replacement["effective_on"]


def _years_after(day: date, years: int) -> date:
    try:
        return date.fromisoformat(add_years(day.isoformat(), years))
    except ValueError:  # beyond year 9999
        return date.max


FACT_TYPE = FactType(
    GradeEvaluated,
    check_stored,
    inputs=(
        inputs.ORG,
        FieldSpec("scheme", "scheme", inputs.text(40), required=True),
        FieldSpec("grade", "grade", inputs.text(20), required=True),
        FieldSpec("score", "score", lambda v, f: parse_count(v, f, maximum=1000)),
        FieldSpec("note", "note", inputs.optional_text()),
        inputs.DATE,
    ),
    rule=check,
    own_field="org_id",
    derived_on_correction=frozenset({"passed", "valid_until"}),
    revise=revise,
    check_replacement=check_replacement,
    on_correction=on_correction,
)

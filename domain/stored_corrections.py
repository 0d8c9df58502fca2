"""A correction's replacement, as stored: the checked fields of a correctable fact.

Which fact a ``FactCorrected`` corrects lies in its origin's journal, not in the
document; its replacement must be what the journal would have stored for *some*
correctable fact type: only that type's correctable fields, each in its stored form,
with what the journal derives alongside (a grade's ``passed`` and ``valid_until``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.corrections import CORRECTABLE
from domain.errors import InvalidFieldError, excerpt
from domain.grades import GradeScheme, shipped_schemes
from domain.grades import scheme as grade_scheme
from domain.rules import check_grade_basis, check_money
from domain.stored_fields import (
    Stored,
    check_field,
    derived,
    refusing,
    same,
    stored_bool,
    stored_date,
)
from domain.values import add_years

if TYPE_CHECKING:
    from collections.abc import Callable

FIELD = "payload.replacement"
DERIVED = {"GradeEvaluated": frozenset({"passed", "valid_until"})}
"""Replacement fields the journal derives, by corrected fact type."""
_GRADE = frozenset({"grade", "passed", "valid_until"})


def check_replacement(value: object, stored: Stored) -> None:
    """Refuse a replacement no correction of any correctable fact could store."""
    if not isinstance(value, Mapping) or not value:
        raise InvalidFieldError(
            f"{FIELD} must be a non-empty object of corrected fields", field=FIELD
        )
    refusals: list[InvalidFieldError] = []
    for fact_type, allowed in CORRECTABLE.items():
        if value.keys() <= allowed | DERIVED.get(fact_type, frozenset()):
            try:
                _check_as(fact_type, value, stored)
            except InvalidFieldError as error:
                refusals.append(error)
            else:
                return
    if refusals:
        raise refusals[0]
    names = ", ".join(excerpt(key, 32) for key in sorted(value)[:5])
    raise InvalidFieldError(
        f"{FIELD} replaces {names}: no correctable fact has all of them", field=FIELD
    )


def _check_as(fact_type: str, r: Mapping[str, Any], stored: Stored) -> None:
    """The replacement as a correction of a ``fact_type`` would store it."""
    derived_here = DERIVED.get(fact_type, frozenset())
    for name, item in r.items():
        field = f"{FIELD}.{name}"
        if name in derived_here:
            continue
        if item is None and (fact_type, name) != ("SubsidyDecided", "grade_scheme"):
            raise InvalidFieldError(f"{field} must not be null", field=field)
        if item is not None:
            check_field(fact_type, name, item, field, stored)
    _RULES.get(fact_type, _nothing)(r, stored)


def _nothing(r: Mapping[str, Any], stored: Stored) -> None:
    """No rule beyond each field's own."""


def _grade(r: Mapping[str, Any], stored: Stored) -> None:
    """A corrected grade or date carries the grade, ``passed`` and ``valid_until``
    the journal derives again; score and note alone carry none of them."""
    if "grade" not in r and "effective_on" not in r:
        if r.keys() & _GRADE:
            raise InvalidFieldError(
                f"{FIELD} derives passed and valid_until only with a grade or date",
                field=FIELD,
            )
        return
    if not r.keys() >= _GRADE:
        raise InvalidFieldError(
            f"{FIELD} of a grade or date holds grade, passed and valid_until",
            field=FIELD,
        )
    grade, passed = r["grade"], stored_bool(r["passed"], f"{FIELD}.passed")
    schemes = [s for s in _schemes_of(grade) if s.passed(grade) == passed]
    if not schemes:
        raise InvalidFieldError(
            f"{FIELD}.grade is no grade of a scheme with passed {passed}",
            field=f"{FIELD}.grade",
        )
    _valid_until(r, schemes[0], passed, stored)


def _valid_until(
    r: Mapping[str, Any], scheme: GradeScheme, passed: bool, stored: Stored
) -> None:
    field, value = f"{FIELD}.valid_until", r["valid_until"]
    if not passed or "effective_on" in r:
        days = add_years(r["effective_on"], scheme.valid_years) if passed else None
        derived(field, value, days)
        return
    # The evaluation's own date lies in its origin's journal: any day it could give.
    latest = _years_after(stored.latest, scheme.valid_years)
    stored_date(value, field, Stored(stored.node, stored.seq, latest))


def _money(r: Mapping[str, Any], stored: Stored) -> None:
    """A corrected amount is positive; corrected shares add up to it (to the amount
    they keep otherwise, which is positive too); a cited grade is its scheme's."""
    amount, shares = r.get("amount_fen"), r.get("shares")
    with refusing(f"{FIELD}.amount_fen"):
        if shares is not None:
            check_money(sum(shares.values()) if amount is None else amount, shares)
        elif amount is not None:
            check_money(amount, {"": amount})
    if "grade" in r and "grade_scheme" in r:
        basis = {"grade_scheme": r["grade_scheme"], "grade": r["grade"]}
        with refusing(f"{FIELD}.grade"):
            check_grade_basis(basis)
        for key in ("grade_scheme", "grade"):
            derived(f"{FIELD}.{key}", r[key], basis[key])
    elif "grade" in r and not _schemes_of(r["grade"]):
        raise InvalidFieldError(
            f"{FIELD}.grade is a grade of no scheme", field=f"{FIELD}.grade"
        )
    elif r.get("grade_scheme") is not None:
        field = f"{FIELD}.grade_scheme"
        same(lambda v, _: grade_scheme(v).key, r["grade_scheme"], field)


def _schemes_of(grade: object) -> list[GradeScheme]:
    """The schemes ``grade`` is a grade (or the not-passed result) of."""
    return [s for s in shipped_schemes().values() if grade in (*s.grades, s.not_passed)]


def _years_after(day: date, years: int) -> date:
    try:
        return date.fromisoformat(add_years(day.isoformat(), years))
    except ValueError:  # beyond year 9999
        return date.max


_RULES: dict[str, Callable[[Mapping[str, Any], Stored], None]] = {
    "GradeEvaluated": _grade,
    "SubsidyDecided": _money,
}

"""Grade schemes: the national 1A–5A scale and local scales, read from data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from domain.errors import InvalidGradeError
from domain.messages import Text


@dataclass(frozen=True)
class GradeScheme:
    """One evaluation scale: its grades (best first) and its not-passed result."""

    key: str
    label: str
    applies_to: str
    """Status an organization must have to be evaluated: "registered" or "filed"."""
    grades: tuple[str, ...]
    not_passed: str
    """The result for an organization below every band: not a grade, no subsidy."""
    valid_years: int

    def parse_grade(self, value: object) -> str:
        """A grade of this scheme or its not-passed result (English aliases too)."""
        if isinstance(value, str):
            text = value.strip()
            if text in self.grades or text == self.not_passed:
                return text
            if text.lower() in ("not_passed", "not passed", "none"):
                return self.not_passed
            if text.upper() in self.grades:
                return text.upper()
        choices = ", ".join((*self.grades, self.not_passed))
        raise InvalidGradeError(
            Text(
                "grade {grade} is not in scheme {scheme} ({choices})",
                grade=repr(value),
                scheme=repr(self.key),
                choices=choices,
            ),
            field="grade",
        )

    def passed(self, grade: str) -> bool:
        """True for a real grade, False for the not-passed result."""
        return grade in self.grades


@cache
def shipped_schemes() -> dict[str, GradeScheme]:
    """The grade schemes shipped with the product."""
    path = resources.files("domain") / "data" / "grade_schemes.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {
        key: GradeScheme(
            key=key,
            label=spec["label"],
            applies_to=spec["applies_to"],
            grades=tuple(spec["grades"]),
            not_passed=spec["not_passed"],
            valid_years=int(spec["valid_years"]),
        )
        for key, spec in raw.items()
    }


def scheme(key: object) -> GradeScheme:
    """Look up a shipped scheme by key, with a clear error for unknown keys."""
    schemes = shipped_schemes()
    if isinstance(key, str) and key.strip() in schemes:
        return schemes[key.strip()]
    raise InvalidGradeError(
        Text(
            "grade scheme {scheme} is unknown; known schemes: {known}",
            scheme=repr(key),
            known=", ".join(schemes),
        ),
        field="scheme",
    )


def schemes_of(grade: object) -> list[GradeScheme]:
    """The schemes ``grade`` is a grade (or the not-passed result) of."""
    return [s for s in shipped_schemes().values() if grade in (*s.grades, s.not_passed)]

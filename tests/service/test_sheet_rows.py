"""The columns table and the facts agree: every column fills an input its fact type
accepts, so a register can give every field a clerk could type."""

from __future__ import annotations

from domain.commands import SPECS
from infrastructure.spreadsheets.columns import kinds
from service.sheet_rows import SCHEME_FIELD, target


def test_every_column_fills_an_input_of_its_fact_type() -> None:
    for kind in kinds().values():
        accepted = {spec.key for spec in SPECS[kind.fact_type]}
        for column in kind.columns:
            key, _ = target(column.field)
            assert key in accepted, (kind.key, column.field)


def test_every_required_input_has_a_required_column_or_is_inferred() -> None:
    for kind in kinds().values():
        required = {s.key for s in SPECS[kind.fact_type] if s.required}
        columns = {target(c.field)[0] for c in kind.columns if c.required}
        inferred = {SCHEME_FIELD.get(kind.key)}  # a grade's scheme, from the grade
        assert required <= columns | inferred, kind.key


def test_a_grade_scheme_is_a_field_of_the_kinds_that_infer_it() -> None:
    for kind, field in SCHEME_FIELD.items():
        assert field in kinds()[kind].fields

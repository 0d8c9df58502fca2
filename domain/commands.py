"""Parsing of raw fact data (CLI JSON, JSONL lines, HTTP bodies) into clean fields.

Field-level checks live here, by each fact type's ``inputs`` (``domain.fact_types``);
rules that need the journal's state are each type's ``rule``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.catalogue import CLERK_TYPES, FACT_TYPES
from domain.errors import (
    InvalidFieldError,
    LedgerError,
    MissingFieldError,
    NotCorrectableError,
    UnknownFactTypeError,
    UnknownFieldError,
)
from domain.inputs import OBJECT, FieldSpec
from domain.messages import Text
from domain.values import today_in_china

if TYPE_CHECKING:
    from collections.abc import Mapping

SPECS: dict[str, tuple[FieldSpec, ...]] = {t.name: t.inputs for t in CLERK_TYPES}
"""Fact type -> accepted input fields. LedgerOpened is written by ``init`` only."""


@dataclass(frozen=True)
class _TypeSpec:
    """A fact type's accepted keys, prepared once: the import path checks every line."""

    known: dict[str, FieldSpec]
    required: tuple[FieldSpec, ...]
    required_targets: tuple[str, ...]


_TYPE_SPECS = {
    name: _TypeSpec(
        known={spec.key: spec for spec in specs},
        required=tuple(spec for spec in specs if spec.required),
        required_targets=FACT_TYPES[name].required_targets,
    )
    for name, specs in SPECS.items()
}


def parse_fields(
    fact_type: object, data: object, *, date_required: bool = False
) -> dict[str, Any]:
    """Check one fact's input data field by field and return clean values.

    Without ``effective_on`` a fact is dated today in China, unless
    ``date_required`` (an import: a file of past facts is never dated by the day it
    is read)."""
    spec = _spec_for(fact_type)
    if not isinstance(data, OBJECT):
        raise InvalidFieldError(
            Text("data of a {type} must be a JSON object", type=fact_type),
            field="data",
        )
    known = spec.known
    if not known.keys() >= data.keys():
        unknown = sorted(str(key) for key in data if key not in known)
        raise UnknownFieldError(
            Text(
                "{type} has no field(s) {unknown}; allowed: {allowed}",
                type=fact_type,
                unknown=", ".join(unknown),
                allowed=", ".join(known),
            ),
            field=unknown[0],
        )
    fields = _parse_known(data, known)
    _require(str(fact_type), fields, spec)
    if "effective_on" not in fields:
        if date_required:
            raise MissingFieldError(
                Text(
                    "{fact_type} needs field effective_on here: the date it "
                    "happened (YYYY-MM-DD); an import never dates a fact by the day "
                    "it is recorded",
                    fact_type=fact_type,
                ),
                field="effective_on",
            )
        fields["effective_on"] = today_in_china().isoformat()
    return fields


def date_given(data: Mapping[str, object]) -> bool:
    """Whether a fact's data gives its business date (a null gives none)."""
    return data.get("effective_on") is not None


def _spec_for(fact_type: object) -> _TypeSpec:
    if fact_type == "LedgerOpened":
        raise UnknownFactTypeError(
            Text("LedgerOpened is recorded by `tierledger init` only")
        )
    if not isinstance(fact_type, str) or fact_type not in _TYPE_SPECS:
        raise UnknownFactTypeError(
            Text(
                "unknown fact type {type}; known: {known}",
                type=repr(fact_type),
                known=", ".join(SPECS),
            ),
            field="type",
        )
    return _TYPE_SPECS[fact_type]


def _parse_known(
    data: Mapping[str, object], known: dict[str, FieldSpec]
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key, value in data.items():
        spec = known[key]
        if value is None and not spec.required:
            continue
        if spec.target in fields:
            raise InvalidFieldError(
                Text(
                    "give {field} once (either yuan or fen), not both",
                    field=spec.target,
                ),
                field=key,
            )
        try:
            fields[spec.target] = spec.parse(value, key)
        except LedgerError as error:
            error.field = error.field or key  # every refusal names its field
            raise
    return fields


def _require(fact_type: str, fields: dict[str, Any], spec: _TypeSpec) -> None:
    for required in spec.required:
        if required.target not in fields:
            raise MissingFieldError(
                Text("{type} needs field {field}", type=fact_type, field=required.key),
                field=required.key,
            )
    for target in spec.required_targets:
        if target not in fields:
            raise MissingFieldError(
                Text(
                    "{type} needs {field} (or its yuan form)",
                    type=fact_type,
                    field=target,
                ),
                field=target,
            )


def parse_replacement(corrected_type: str, raw: Mapping[str, object]) -> dict[str, Any]:
    """Check a correction's replacement against the corrected fact's own fields."""
    allowed = FACT_TYPES[corrected_type].correctable
    if not allowed:
        raise NotCorrectableError(
            Text("a {type} cannot be corrected", type=corrected_type)
        )
    known = {s.key: s for s in SPECS[corrected_type] if s.target in allowed}
    unknown = sorted(str(key) for key in raw if key not in known)
    if unknown:
        raise NotCorrectableError(
            Text(
                "a correction of {type} cannot replace {unknown}; correctable: "
                "{correctable}",
                type=corrected_type,
                unknown=", ".join(unknown),
                correctable=", ".join(sorted(known)),
            ),
            field=f"replacement.{unknown[0]}",
        )
    return _parse_known(raw, known)

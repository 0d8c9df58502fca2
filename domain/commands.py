"""Parsing of raw fact data (CLI JSON, JSONL lines, HTTP bodies) into clean fields.

Field-level checks live here; rules that need the journal's state live in
``domain.journal``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.codes import NodeCode
from domain.corrections import CORRECTABLE
from domain.errors import (
    InvalidFieldError,
    LedgerError,
    MissingFieldError,
    NotCorrectableError,
    UnknownFactTypeError,
    UnknownFieldError,
)
from domain.money import FUNDING_SOURCES, parse_fen, parse_yuan
from domain.policy import parse_programs
from domain.text import parse_identifier, parse_text
from domain.uscc import Uscc
from domain.values import LegalForm, parse_count, parse_date, today_in_china

OUTCOMES = ("deregistered", "revoked")
_PHONE = re.compile(r"\+?[0-9][0-9 -]{4,19}")
_ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")

Parser = Callable[[object, str], Any]
OBJECT = (dict, Mapping)
"""What a JSON object may arrive as; dict first, it is checked without the ABC."""


@dataclass(frozen=True)
class FieldSpec:
    """One accepted input key, the field it fills, and how it is checked."""

    key: str
    target: str
    parse: Parser
    required: bool = False


def _text(max_len: int = 200) -> Parser:
    return lambda value, field: parse_text(value, field, max_len=max_len)


def _identifier(max_len: int = 64) -> Parser:
    return lambda value, field: parse_identifier(value, field, max_len=max_len)


def _optional_text(max_len: int = 500) -> Parser:
    return lambda value, field: (
        parse_text(value, field, max_len=max_len, required=False) or None
    )


def _community(value: object, field: str) -> str:
    code = NodeCode.parse(value)
    if code.tier != "community":
        raise InvalidFieldError(
            f"{field} {value!r} is not a 12-digit community code", field=field
        )
    return code.value


def _uscc(value: object, field: str) -> str:
    return Uscc.parse(value).value


def _legal_form(value: object, field: str) -> str:
    return LegalForm.parse(value, field).value


def _person(value: object, field: str) -> dict[str, str]:
    if not isinstance(value, OBJECT):
        raise InvalidFieldError(
            f"{field} must be an object with name and phone", field=field
        )
    unknown = set(value) - {"name", "phone", "id_number"}
    if unknown:
        raise UnknownFieldError(
            f"{field} has unknown key(s): {', '.join(sorted(unknown))}", field=field
        )
    person = {"name": parse_text(value.get("name"), f"{field}.name", max_len=50)}
    for key, pattern in (("phone", _PHONE), ("id_number", _ID_NUMBER)):
        if value.get(key) is not None:
            text = parse_text(value[key], f"{field}.{key}", max_len=20)
            if not pattern.fullmatch(text):
                # Never echo personal data back: it may end up in a log.
                raise InvalidFieldError(
                    f"{field}.{key} is malformed", field=f"{field}.{key}"
                )
            person[key] = text
    return person


def _shares(money: Parser) -> Parser:
    def parse(value: object, field: str) -> dict[str, int]:
        if not isinstance(value, OBJECT) or not value:
            raise InvalidFieldError(
                f"{field} must map funding sources "
                f"({', '.join(FUNDING_SOURCES)}) to amounts",
                field=field,
            )
        shares: dict[str, int] = {}
        for source, amount in value.items():
            if source not in FUNDING_SOURCES:
                raise InvalidFieldError(
                    f"{field} names unknown funding source {source!r}; "
                    f"use {', '.join(FUNDING_SOURCES)}",
                    field=field,
                )
            shares[source] = money(amount, f"{field}.{source}")
        return shares

    return parse


def _choice(options: tuple[str, ...]) -> Parser:
    def parse(value: object, field: str) -> str:
        if value not in options:
            raise InvalidFieldError(
                f"{field} {value!r} is not one of {', '.join(options)}", field=field
            )
        return str(value)

    return parse


def _score(value: object, field: str) -> int:
    return parse_count(value, field, maximum=1000)


def _seq(value: object, field: str) -> int:
    return parse_count(value, field, minimum=1, maximum=2**62)


def _replacement(value: object, field: str) -> dict[str, object]:
    if not isinstance(value, OBJECT) or not value:
        raise InvalidFieldError(
            f"{field} must be a non-empty object of corrected fields", field=field
        )
    return dict(value)


_DATE = FieldSpec("effective_on", "effective_on", parse_date)
_ORG = FieldSpec("org", "org", _identifier(), required=True)
_MONEY = (
    FieldSpec("amount", "amount_fen", parse_yuan),
    FieldSpec("amount_fen", "amount_fen", parse_fen),
    FieldSpec("shares", "shares", _shares(parse_yuan)),
    FieldSpec("shares_fen", "shares", _shares(parse_fen)),
)
_GRADE_BASIS = (
    FieldSpec("grade_scheme", "grade_scheme", _text(40)),
    FieldSpec("grade", "grade", _text(20)),
    FieldSpec("note", "note", _optional_text()),
)

SPECS: dict[str, tuple[FieldSpec, ...]] = {
    "OrganizationFiled": (
        FieldSpec("filing_number", "filing_number", _identifier(), required=True),
        FieldSpec("name", "name", _text(100), required=True),
        FieldSpec("category", "category", _text(40), required=True),
        FieldSpec("community", "community", _community),
        FieldSpec("responsible_person", "responsible_person", _person),
        FieldSpec(
            "member_count", "member_count", lambda v, f: parse_count(v, f, minimum=1)
        ),
        FieldSpec("venue", "venue", _optional_text(200)),
        FieldSpec("funds", "funds_fen", parse_yuan),
        FieldSpec("funds_fen", "funds_fen", parse_fen),
        FieldSpec("funds_source", "funds_source", _optional_text(100)),
        FieldSpec("guiding_unit", "guiding_unit", _optional_text(100)),
        _DATE,
    ),
    "OrganizationRegistered": (
        FieldSpec("uscc", "uscc", _uscc, required=True),
        FieldSpec("name", "name", _text(100), required=True),
        FieldSpec("legal_form", "legal_form", _legal_form, required=True),
        FieldSpec("community", "community", _community),
        FieldSpec("upgraded_from", "upgraded_from", _identifier(80)),
        _DATE,
    ),
    "OrganizationUpgraded": (
        _ORG,
        FieldSpec("uscc", "uscc", _uscc, required=True),
        FieldSpec("legal_form", "legal_form", _legal_form, required=True),
        _DATE,
    ),
    "OrganizationDeregistered": (
        _ORG,
        FieldSpec("outcome", "outcome", _choice(OUTCOMES)),
        FieldSpec("reason", "reason", _optional_text()),
        _DATE,
    ),
    "GradeEvaluated": (
        _ORG,
        FieldSpec("scheme", "scheme", _text(40), required=True),
        FieldSpec("grade", "grade", _text(20), required=True),
        FieldSpec("score", "score", _score),
        FieldSpec("note", "note", _optional_text()),
        _DATE,
    ),
    "SubsidyDecided": (
        _ORG,
        FieldSpec("program", "program", _text(100), required=True),
        FieldSpec("period", "period", _identifier(20), required=True),
        *_MONEY,
        *_GRADE_BASIS,
        _DATE,
    ),
    "PolicyAdopted": (
        FieldSpec("name", "name", _text(200), required=True),
        FieldSpec("programs", "programs", parse_programs, required=True),
        _DATE,
    ),
    "SubsidyRevoked": (
        FieldSpec("decision_seq", "decision_seq", _seq, required=True),
        FieldSpec("reason", "reason", _text(500), required=True),
        _DATE,
    ),
    "FactCorrected": (
        FieldSpec("corrects_seq", "corrects_seq", _seq, required=True),
        FieldSpec("reason", "reason", _text(500), required=True),
        FieldSpec("replacement", "replacement", _replacement, required=True),
        _DATE,
    ),
}
"""Fact type -> accepted input fields. LedgerOpened is written by ``init`` only."""

REQUIRED_TARGETS = {"SubsidyDecided": ("amount_fen", "shares")}
"""Stored fields a fact type needs that more than one input key can give."""


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
        required_targets=REQUIRED_TARGETS.get(name, ()),
    )
    for name, specs in SPECS.items()
}


def parse_fields(fact_type: object, data: object) -> dict[str, Any]:
    """Check one fact's input data field by field and return clean values."""
    spec = _spec_for(fact_type)
    if not isinstance(data, OBJECT):
        raise InvalidFieldError(
            f"data of a {fact_type} must be a JSON object", field="data"
        )
    known = spec.known
    if not known.keys() >= data.keys():
        unknown = sorted(str(key) for key in data if key not in known)
        raise UnknownFieldError(
            f"{fact_type} has no field(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(known)}",
            field=unknown[0],
        )
    fields = _parse_known(data, known)
    _require(str(fact_type), fields, spec)
    if "effective_on" not in fields:
        fields["effective_on"] = today_in_china().isoformat()
    return fields


def _spec_for(fact_type: object) -> _TypeSpec:
    if fact_type == "LedgerOpened":
        raise UnknownFactTypeError("LedgerOpened is recorded by `tierledger init` only")
    if not isinstance(fact_type, str) or fact_type not in _TYPE_SPECS:
        raise UnknownFactTypeError(
            f"unknown fact type {fact_type!r}; known: {', '.join(SPECS)}", field="type"
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
                f"give {spec.target} once (either yuan or fen), not both", field=key
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
                f"{fact_type} needs field {required.key}", field=required.key
            )
    for target in spec.required_targets:
        if target not in fields:
            raise MissingFieldError(
                f"{fact_type} needs {target} (or its yuan form)", field=target
            )


def parse_replacement(corrected_type: str, raw: Mapping[str, object]) -> dict[str, Any]:
    """Check a correction's replacement against the corrected fact's own fields."""
    allowed = CORRECTABLE.get(corrected_type)
    if not allowed:
        raise NotCorrectableError(f"a {corrected_type} cannot be corrected")
    known = {s.key: s for s in SPECS[corrected_type] if s.target in allowed}
    unknown = sorted(str(key) for key in raw if key not in known)
    if unknown:
        raise NotCorrectableError(
            f"a correction of {corrected_type} cannot replace {', '.join(unknown)}; "
            f"correctable: {', '.join(sorted(known))}",
            field=f"replacement.{unknown[0]}",
        )
    return _parse_known(raw, known)

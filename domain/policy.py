"""Subsidy policy as a fact: grade bands, caps and funding splits per program.

A node adopts a policy with ``PolicyAdopted`` (from a TOML file, ``tierledger policy
adopt``); it applies from its ``effective_on`` to the node and every descendant that
has none of its own, so a replay always judges a decision by the policy then in force.
Amounts are integer fen in the fact; the TOML file gives yuan decimal strings.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.errors import InvalidFieldError
from domain.grades import scheme as grade_scheme
from domain.messages import Text
from domain.money import FUNDING_SOURCES, parse_yuan
from domain.text import parse_text

MAX_PROGRAMS = 50


@dataclass(frozen=True)
class Program:
    """One program's rules: bands per scheme and grade, a cap, a funding split."""

    program: str
    bands: dict[str, dict[str, tuple[int, int]]]
    cap_fen: int | None
    split: dict[str, int] | None
    """Percent per funding source, adding up to 100."""

    def band(self, scheme: str, grade: str) -> tuple[int, int] | None:
        """The (min, max) fen a grade earns, or None when the policy sets none."""
        return self.bands.get(scheme, {}).get(grade)


@dataclass(frozen=True)
class Policy:
    """An adopted policy as reconciliation reads it."""

    origin: str
    seq: int
    effective_on: str
    name: str
    programs: dict[str, Program]

    @classmethod
    def of(
        cls, origin: str, seq: int, effective_on: str, body: Mapping[str, Any]
    ) -> Policy:
        """A policy from a stored PolicyAdopted payload."""
        programs = {
            p["program"]: Program(
                program=p["program"],
                bands={
                    s: {g: (int(b[0]), int(b[1])) for g, b in grades.items()}
                    for s, grades in p["bands"].items()
                },
                cap_fen=p.get("cap_fen"),
                split=p.get("split"),
            )
            for p in body["programs"]
        }
        return cls(origin, seq, effective_on, body["name"], programs)


def parse_programs(value: object, field: str) -> list[dict[str, Any]]:
    """A policy's programs, checked: known schemes and grades, ordered bands, splits
    of known sources adding up to 100%; yuan amounts become fen."""
    if not isinstance(value, list) or not value or len(value) > MAX_PROGRAMS:
        raise InvalidFieldError(
            Text(
                "{field} must be a list of 1 to {limit} programs",
                field=field,
                limit=MAX_PROGRAMS,
            ),
            field=field,
        )
    programs = [_program(item, f"{field}[{n}]") for n, item in enumerate(value)]
    names = [p["program"] for p in programs]
    if len(set(names)) != len(names):
        raise InvalidFieldError(
            Text("{field} names a program twice", field=field), field=field
        )
    return programs


def _program(item: object, field: str) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise InvalidFieldError(
            Text("{field} must be a table", field=field), field=field
        )
    unknown = sorted(set(item) - {"program", "bands", "cap", "split"})
    if unknown:
        raise InvalidFieldError(
            Text(
                "{field} has no field {name}; allowed: program, bands, cap, split",
                field=field,
                name=unknown[0],
            ),
            field=f"{field}.{unknown[0]}",
        )
    # The name subsidy decisions give: the same text rules as theirs.
    name = parse_text(item.get("program"), f"{field}.program", max_len=100)
    cap = item.get("cap")
    return {
        "program": name,
        "bands": _bands(item.get("bands", {}), f"{field}.bands"),
        "cap_fen": None if cap is None else parse_yuan(cap, f"{field}.cap"),
        "split": _split(item.get("split"), f"{field}.split"),
    }


def _bands(value: object, field: str) -> dict[str, dict[str, list[int]]]:
    if not isinstance(value, Mapping):
        raise InvalidFieldError(
            Text("{field} must be a table of schemes", field=field), field=field
        )
    bands: dict[str, dict[str, list[int]]] = {}
    for key, grades in value.items():
        scheme, inner = grade_scheme(key), f"{field}.{key}"
        if not isinstance(grades, Mapping):
            raise InvalidFieldError(
                Text("{field} must map grades to [min, max]", field=inner)
            )
        bands[scheme.key] = {}
        for grade, band in grades.items():
            where = f"{field}.{key}.{grade}"
            parsed = scheme.parse_grade(grade)
            if not isinstance(band, list) or len(band) != 2:
                raise InvalidFieldError(
                    Text('{field} must be ["min", "max"] in yuan', field=where),
                    field=where,
                )
            low, high = (parse_yuan(b, where) for b in band)
            if low > high:
                raise InvalidFieldError(
                    Text("{field}: min is above max", field=where), field=where
                )
            bands[scheme.key][parsed] = [low, high]
    return bands


def _split(value: object, field: str) -> dict[str, int] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or not value:
        raise InvalidFieldError(
            Text("{field} must map funding sources to percent", field=field)
        )
    for source, percent in value.items():
        inner = f"{field}.{source}"
        if source not in FUNDING_SOURCES:
            raise InvalidFieldError(
                Text(
                    "{field}: unknown funding source {source}; known: {known}",
                    field=field,
                    source=repr(source),
                    known=", ".join(FUNDING_SOURCES),
                ),
                field=inner,
            )
        if isinstance(percent, bool) or not isinstance(percent, int):
            raise InvalidFieldError(
                Text("{field} must be a whole percent", field=inner), field=inner
            )
        if not 0 <= percent <= 100:
            raise InvalidFieldError(Text("{field} must be 0–100 percent", field=inner))
    if sum(value.values()) != 100:
        raise InvalidFieldError(
            Text("{field} must add up to 100 percent", field=field), field=field
        )
    return {str(source): int(percent) for source, percent in value.items()}


def read_policy_file(text: str) -> dict[str, Any]:
    """The PolicyAdopted data of a TOML policy file (dates become ISO text)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidFieldError(
            Text("policy file is not valid TOML: {error}", error=error)
        ) from None
    unknown = sorted(set(raw) - {"name", "effective_on", "programs"})
    if unknown:
        raise InvalidFieldError(
            Text(
                "policy file has no key {key}; allowed: name, effective_on, programs",
                key=unknown[0],
            ),
            field=unknown[0],
        )
    effective = raw.get("effective_on")
    if isinstance(effective, date):
        raw["effective_on"] = effective.isoformat()
    return raw

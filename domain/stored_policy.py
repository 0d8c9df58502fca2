"""A policy's programs, as stored: what ``parse_programs`` makes of a policy file.

The stored form holds fen where a policy file gives yuan text; each program is put
back into the file's form and parsed again, and must come out as it is stored.
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.errors import InvalidFieldError
from domain.messages import Text
from domain.money import format_yuan, parse_fen
from domain.policy import parse_programs
from domain.stored_fields import same
from domain.stored_refusals import refusing

STORED_KEYS = frozenset({"program", "bands", "cap_fen", "split"})


def check_programs(value: object, field: str) -> None:
    """Programs exactly as a parsed policy file stores them."""
    if not isinstance(value, list):
        raise InvalidFieldError(
            Text("{field} must be a list of programs", field=field), field=field
        )
    given = [_as_given(item, f"{field}[{n}]") for n, item in enumerate(value)]
    same(lambda _, f: parse_programs(given, f), value, field)


def _as_given(item: object, field: str) -> dict[str, object]:
    """A stored program as a policy file gives it (amounts as yuan text)."""
    if not isinstance(item, Mapping) or item.keys() != STORED_KEYS:
        raise InvalidFieldError(
            Text(
                "{field} must have exactly the fields {fields}",
                field=field,
                fields=", ".join(sorted(STORED_KEYS)),
            ),
            field=field,
        )
    bands, cap = item["bands"], item["cap_fen"]
    if isinstance(bands, Mapping):
        bands = {
            scheme: _grades_given(grades, f"{field}.bands.{scheme}")
            for scheme, grades in bands.items()
        }
    return {
        "program": item["program"],
        "bands": bands,
        "cap": None if cap is None else _yuan(cap, f"{field}.cap_fen"),
        "split": item["split"],
    }


def _grades_given(grades: object, field: str) -> object:
    """A scheme's bands in yuan; anything malformed is left for the parser to name."""
    if not isinstance(grades, Mapping):
        return grades
    return {
        grade: [_yuan(fen, f"{field}.{grade}") for fen in band]
        if isinstance(band, list)
        else band
        for grade, band in grades.items()
    }


def _yuan(fen: object, field: str) -> str:
    with refusing(field):
        return format_yuan(parse_fen(fen, field))

"""What a clerk may give for a fact: input keys, the fields they fill, their parsers.

Each fact type lists its accepted keys in its own definition (``domain.fact_types``);
the parsers and the keys several types share live here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain.codes import NodeCode
from domain.errors import InvalidFieldError, UnknownFieldError
from domain.id_number import parse_id_number
from domain.messages import Text
from domain.money import FUNDING_SOURCES, parse_fen, parse_yuan
from domain.text import parse_identifier, parse_text
from domain.uscc import Uscc
from domain.values import LegalForm, parse_count, parse_date

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
    stored: Parser | None = None
    """The parser a stored payload's field is judged by, where it is not ``parse``:
    a check added later binds new input, not facts recorded before it."""

    @property
    def stored_parse(self) -> Parser:
        """What a stored value of this field must be the fixed point of."""
        return self.stored or self.parse


def text(max_len: int = 200) -> Parser:
    """Required text of at most ``max_len`` characters."""
    return lambda value, field: parse_text(value, field, max_len=max_len)


def identifier(max_len: int = 64) -> Parser:
    """An identifier (NFKC-folded, no spaces) of at most ``max_len`` characters."""
    return lambda value, field: parse_identifier(value, field, max_len=max_len)


def optional_text(max_len: int = 500) -> Parser:
    """Text that may be empty (stored as null)."""
    return lambda value, field: (
        parse_text(value, field, max_len=max_len, required=False) or None
    )


def community(value: object, field: str) -> str:
    """A 12-digit community code."""
    code = NodeCode.parse(value)
    if code.tier != "community":
        raise InvalidFieldError(
            Text(
                "{field} {value} is not a 12-digit community code",
                field=field,
                value=repr(value),
            ),
            field=field,
        )
    return code.value


def uscc(value: object, field: str) -> str:
    """A valid USCC, upper-case."""
    return Uscc.parse(value).value


def legal_form(value: object, field: str) -> str:
    """A legal form's key."""
    return LegalForm.parse(value, field).value


def person(value: object, field: str) -> dict[str, str]:
    """A responsible person: a name, and optionally a phone and an ID number whose
    division, date of birth and check character hold (GB 11643)."""
    return _person(value, field, _id_number)


def stored_person(value: object, field: str) -> dict[str, str]:
    """A responsible person as stored: an ID number is judged by its form only, as
    when the checks of GB 11643 came in: they bind new input, not facts recorded
    before them (decision 0027)."""
    return _person(value, field, _id_number_form)


def _person(value: object, field: str, id_number: Parser) -> dict[str, str]:
    if not isinstance(value, OBJECT):
        raise InvalidFieldError(
            Text("{field} must be an object with name and phone", field=field),
            field=field,
        )
    unknown = set(value) - {"name", "phone", "id_number"}
    if unknown:
        raise UnknownFieldError(
            Text(
                "{field} has unknown key(s): {keys}",
                field=field,
                keys=", ".join(sorted(unknown)),
            ),
            field=field,
        )
    found = {"name": parse_text(value.get("name"), f"{field}.name", max_len=50)}
    if value.get("phone") is not None:
        found["phone"] = _matching(value["phone"], f"{field}.phone", _PHONE)
    if value.get("id_number") is not None:
        key = f"{field}.id_number"
        found["id_number"] = id_number(value["id_number"], key)
    return found


def _id_number(value: object, field: str) -> str:
    return parse_id_number(_personal_text(value, field), field)


def _id_number_form(value: object, field: str) -> str:
    return _matching(value, field, _ID_NUMBER)


def _matching(value: object, field: str, pattern: re.Pattern[str]) -> str:
    given = _personal_text(value, field)
    if not pattern.fullmatch(given):
        # Never echo personal data back: it may end up in a log.
        raise InvalidFieldError(Text("{field} is malformed", field=field), field=field)
    return given


def _personal_text(value: object, field: str) -> str:
    if not isinstance(value, str):  # parse_text would quote it
        raise InvalidFieldError(
            Text("{field} must be text (personal data is not shown)", field=field),
            field=field,
        )
    return parse_text(value, field, max_len=20)


def shares(money: Parser) -> Parser:
    """Funding source -> amount, each amount read by ``money``."""

    def parse(value: object, field: str) -> dict[str, int]:
        if not isinstance(value, OBJECT) or not value:
            raise InvalidFieldError(
                Text(
                    "{field} must map funding sources ({sources}) to amounts",
                    field=field,
                    sources=", ".join(FUNDING_SOURCES),
                ),
                field=field,
            )
        found: dict[str, int] = {}
        for source, amount in value.items():
            if source not in FUNDING_SOURCES:
                raise InvalidFieldError(
                    Text(
                        "{field} names unknown funding source {source}; use {sources}",
                        field=field,
                        source=repr(source),
                        sources=", ".join(FUNDING_SOURCES),
                    ),
                    field=field,
                )
            found[source] = money(amount, f"{field}.{source}")
        return found

    return parse


def choice(options: tuple[str, ...]) -> Parser:
    """One of ``options``, exactly."""

    def parse(value: object, field: str) -> str:
        if value not in options:
            raise InvalidFieldError(
                Text(
                    "{field} {value} is not one of {options}",
                    field=field,
                    value=repr(value),
                    options=", ".join(options),
                ),
                field=field,
            )
        return str(value)

    return parse


def seq(value: object, field: str) -> int:
    """The seq of a fact of this node."""
    return parse_count(value, field, minimum=1, maximum=2**62)


DATE = FieldSpec("effective_on", "effective_on", parse_date)
"""The business date every fact type accepts (today in China when not given)."""
ORG = FieldSpec("org", "org", identifier(), required=True)
"""The organization a fact is about, by any reference (see ``resolve``)."""
MONEY = (
    FieldSpec("amount", "amount_fen", parse_yuan),
    FieldSpec("amount_fen", "amount_fen", parse_fen),
    FieldSpec("shares", "shares", shares(parse_yuan)),
    FieldSpec("shares_fen", "shares", shares(parse_fen)),
)
"""An amount and its funding shares, in yuan text or in fen."""

"""Field checks for stored payloads: a clerk's parsers, applied to what they stored.

A clerk's parser normalises (trims, NFC, canonical codes, fen); a stored value must
already be in that normal form — what the parser makes of it is the value itself.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from domain.canonical import MAX_SEQ, is_hex64
from domain.codes import NodeCode
from domain.errors import InvalidFieldError, LedgerError, excerpt
from domain.facts import payload_names
from domain.key_text import PUBLIC_KEY_BYTES, decode_base64
from domain.messages import Text
from domain.stored_refusals import refusal, refusing
from domain.values import CHINA, ONE_DAY, parse_count, parse_date

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from domain.definition import FactType
    from domain.inputs import FieldSpec, Parser

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
"""``str(UUID(...))``: the only text of a UUID the journal writes."""


class Stored(NamedTuple):
    """What a stored payload is judged against: its origin, seq and recording day."""

    node: NodeCode
    seq: int
    latest: date
    """The latest business date it may name: the day after it was recorded, in
    China — a fact is judged by when it was recorded, not by today."""

    @classmethod
    def of(cls, node: NodeCode, seq: int, recorded_at: str) -> Stored:
        """The context of a fact recorded at ``recorded_at`` (UTC ISO text)."""
        return cls(node, seq, _day_after(recorded_at))


@functools.lru_cache(maxsize=256)
def _day_after(recorded_at: str) -> date:
    """The day after an instant, in China (a batch's facts share one instant)."""
    moment = datetime.fromisoformat(recorded_at)
    try:
        return moment.astimezone(CHINA).date() + ONE_DAY
    except OverflowError:  # recorded in the last hours of year 9999
        return date.max


def same(parse: Callable[[object, str], Any], value: object, field: str) -> None:
    """``value`` is what ``parse`` makes of it: a clerk's input, stored as parsed."""
    try:
        parsed = parse(value, field)
    except LedgerError as error:
        raise refusal(error, field) from None
    if type(parsed) is not type(value) or parsed != value:
        text = (
            Text("{field} is not in the form a clerk's input is stored in", field=field)
            if "responsible_person" in field
            else Text(
                "{field} is not in the form a clerk's input is stored in ({value})",
                field=field,
                value=excerpt(parsed),
            )
        )
        raise InvalidFieldError(text, field=field)


@functools.lru_cache(maxsize=8192)
def _same_again(parse: Parser, value: str | int, field: str) -> None:
    """``same``, remembered for text and numbers a clerk's parser has accepted: a
    batch's facts repeat their programs, periods, grades and categories. (A refusal
    raises, and is not remembered; a boolean never gets here, so never passes for
    the number it equals.)"""
    same(parse, value, field)


def derived(field: str, value: object, expected: object) -> None:
    """A field the journal derives must hold what the journal derives."""
    if type(value) is not type(expected) or value != expected:
        raise InvalidFieldError(
            Text(
                "{field} is not what the journal derives ({value})",
                field=field,
                value=excerpt(expected, 40),
            ),
            field=field,
        )


def stored_date(value: object, field: str, stored: Stored) -> None:
    """A real ISO date from 1950-01-01 to the day after the fact was recorded."""
    if (
        isinstance(value, str)
        and len(value) == 10
        and _known_date(value, stored.latest)
    ):
        return  # the facts of a batch name a few days, many times over
    same(lambda v, f: parse_date(v, f, latest=stored.latest), value, field)


@functools.lru_cache(maxsize=1024)
def _known_date(value: str, latest: date) -> bool:
    """True for a stored date already checked against the same latest day."""
    try:
        same(lambda v, f: parse_date(v, f, latest=latest), value, "")
    except LedgerError:
        return False
    return True


def stored_uuid(value: object, field: str) -> None:
    """An organization id as the journal writes it: a UUID, lower-case, hyphenated."""
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        raise InvalidFieldError(
            Text("{field} must be an org_id (a UUID)", field=field), field=field
        )


def stored_code(value: object, field: str) -> NodeCode:
    """A node code, written as its canonical digits."""
    with refusing(field):
        code = NodeCode.parse(value)
    if code.value != value:
        raise InvalidFieldError(
            Text("{field} must be written {code}", field=field, code=code.value),
            field=field,
        )
    return code


def stored_below(value: object, field: str, stored: Stored) -> NodeCode:
    """A node strictly inside the origin's subtree."""
    code = stored_code(value, field)
    if code == stored.node or not stored.node.contains(code):
        raise InvalidFieldError(
            Text(
                "{field} {code} is not below node {node}",
                field=field,
                code=code,
                node=stored.node,
            ),
            field=field,
        )
    return code


def stored_count(value: object, field: str, minimum: int = 1) -> int:
    """A seq, position or count: a whole number in ``minimum``..2^63-1."""
    with refusing(field):
        return parse_count(value, field, minimum=minimum, maximum=MAX_SEQ)


def stored_hex(value: object, field: str) -> str:
    """A SHA-256 digest: 64 lower-case hex digits."""
    if not is_hex64(value):
        raise InvalidFieldError(
            Text("{field} must be 64 lower-case hex digits", field=field), field=field
        )
    return value


def stored_bool(value: object, field: str) -> bool:
    """A JSON boolean, not a number."""
    if type(value) is not bool:
        raise InvalidFieldError(
            Text("{field} must be true or false", field=field), field=field
        )
    return value


def check_field(
    fact_type: FactType, name: str, value: object, field: str, stored: Stored
) -> None:
    """One field a clerk gives, as stored: its parser's form, inside the subtree."""
    if name == "effective_on":
        stored_date(value, field, stored)
        return
    same(_clerk_fields(fact_type)[name].stored_parse, value, field)
    if name == "community":
        _inside(value, field, stored)


def clerk_fields(fact_type: FactType, p: Mapping[str, Any], stored: Stored) -> None:
    """Every field a clerk gives of ``fact_type``; absent optional ones are null."""
    for name, field, parse, nullable in _plan(fact_type):
        value = p[name]
        if value is None:
            if not nullable:
                raise InvalidFieldError(
                    Text("{field} must not be null", field=field), field=field
                )
            continue
        if type(value) is str or type(value) is int:
            _same_again(parse, value, field)
        else:
            same(parse, value, field)
        if name == "community":
            _inside(value, field, stored)


def _inside(value: object, field: str, stored: Stored) -> None:
    if not stored.node.contains(NodeCode(str(value))):
        raise InvalidFieldError(
            Text(
                "{field} {value} lies outside node {node}",
                field=field,
                value=value,
                node=stored.node,
            ),
            field=field,
        )


@functools.cache
def _clerk_fields(fact_type: FactType) -> dict[str, FieldSpec]:
    """Stored field -> the input spec whose parser gives its stored form."""
    names = payload_names(fact_type.cls)
    found: dict[str, FieldSpec] = {}
    for spec in fact_type.inputs:
        # Money may be given in yuan or in fen; it is stored in fen.
        if spec.target in names and (
            spec.target not in found or spec.key.endswith("_fen")
        ):
            found[spec.target] = spec
    found.pop("effective_on", None)  # judged by the day the fact was recorded
    return found


@functools.cache
def _plan(fact_type: FactType) -> tuple[tuple[str, str, Parser, bool], ...]:
    """Each field a clerk gives: name, field path, parser, whether null is allowed
    (prepared once: every fact of a batch asks)."""
    return tuple(
        (name, f"payload.{name}", spec.stored_parse, name not in _not_null(fact_type))
        for name, spec in _clerk_fields(fact_type).items()
    )


@functools.cache
def _not_null(fact_type: FactType) -> frozenset[str]:
    required = {spec.target for spec in fact_type.inputs if spec.required}
    required.update(fact_type.required_targets)
    return frozenset(required | fact_type.defaulted)


def stored_rule(check: Callable[..., None], *args: Any) -> None:
    """One of the journal's stateless rules, its refusal naming the stored field."""
    try:
        check(*args)
    except LedgerError as error:
        field = _RULE_FIELDS.get(error.field or "", "payload")
        raise refusal(error, field) from None


_RULE_FIELDS = {
    "amount": "payload.amount_fen",
    "shares": "payload.shares",
    "grade_scheme": "payload.grade_scheme",
    "scheme": "payload.grade_scheme",
    "grade": "payload.grade",
    "uscc": "payload.uscc",
    "legal_form": "payload.legal_form",
}
"""The field a rule's refusal names -> the stored field it is about."""


def stored_earlier(field: str, value: int, stored: Stored) -> None:
    """A seq of an earlier fact of the same origin."""
    if value >= stored.seq:
        raise InvalidFieldError(
            Text(
                "{field} {seq} names no earlier fact of this origin",
                field=field,
                seq=value,
            ),
            field=field,
        )
    stored_count(value, field)


def stored_key(value: object, field: str) -> bytes:
    """An Ed25519 public key in canonical base64; its raw bytes."""
    with refusing(field):
        return decode_base64(value, PUBLIC_KEY_BYTES, field)


def stored_via(value: object, origin: NodeCode, stored: Stored) -> None:
    """The node a batch came through: between the origin and the storing node."""
    via = stored_code(value, "payload.via")
    if not (stored.node.contains(via) and via.contains(origin)):
        raise InvalidFieldError(
            Text(
                "payload.via {via} is not between {node} and {origin}",
                via=via,
                node=stored.node,
                origin=origin,
            ),
            field="payload.via",
        )

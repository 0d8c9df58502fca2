"""Stored payloads checked as strictly as a clerk's input, before a node keeps them.

A fact from another node arrives as its stored payload. Each field a clerk gives is
read by the parser a clerk's input goes through (its fact type's ``inputs``) and must
be in the form that parser returns; each field the journal derives (``org_id``,
``passed``, ``valid_until``) must be what it would derive; the journal's stateless
rules (money adds up, USCC category, grade basis, subtree) must hold. What is left to
the journal's state (duplicates, statuses) is reconciliation's to report. Each fact
type's own check is its ``check_stored`` (``domain.fact_types``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain.catalogue import FACT_TYPES
from domain.errors import InvalidFieldError, LedgerError, MalformedFactError
from domain.messages import Text
from domain.shape import node_code, payload_keys
from domain.stored_fields import Stored, stored_date, stored_uuid

Payload = Mapping[str, Any]


def check_stored_payload(
    fact_type: str, node: str, seq: int, payload: Payload, recorded_at: str
) -> None:
    """Refuse a stored payload no clerk's input could have become, by its field."""
    try:
        stored = Stored.of(node_code(node), seq, recorded_at)
        definition = FACT_TYPES.get(fact_type)
        if definition is None:
            raise InvalidFieldError(
                Text("unknown fact type {type}", type=repr(fact_type)), field="type"
            )
        if payload.keys() != payload_keys(fact_type):
            raise InvalidFieldError(
                Text("payload fields do not match {type}", type=fact_type),
                field="payload",
            )
        own = definition.own_field
        rest = None if own is None else _rest(fact_type, own, payload, stored)
        if rest is not None and own is not None and rest in _PASSED:
            stored_uuid(payload[own], f"payload.{own}")
            return
        stored_date(payload["effective_on"], "payload.effective_on", stored)
        definition.check_stored(payload, stored)
        if rest is not None:
            _remember(rest)
    except LedgerError as error:
        problem, field = error.text, error.field
    except ValueError:  # an instant no document check let through
        problem, field = Text("recorded_at is not an instant"), "recorded_at"
    else:
        return
    where = Text("fact {node}/{seq}", node=node, seq=seq)
    raise MalformedFactError(
        Text("{where}: {problem}", where=where, problem=problem), field=field
    )


_PASSED: dict[tuple[Any, ...], None] = {}
"""Payloads that passed, less their ``own_field`` (``FactType.own_field``)."""
_PASSED_MAX = 4096


def _rest(
    fact_type: str, own: str, payload: Payload, stored: Stored
) -> tuple[Any, ...] | None:
    """What a repeated payload shares with one that passed, hashable (else None).
    Each value is tagged with its type, so ``True`` is never taken for ``1``."""
    values: list[Any] = [fact_type, stored.latest]
    for name, value in payload.items():
        if name != own:
            kind = type(value)
            if kind is dict:  # keys, their values' types, their values
                inner = value.values()
                value = (tuple(value), tuple(map(type, inner)), tuple(inner))
            values += (name, kind, value)
    rest = tuple(values)
    try:
        hash(rest)
    except TypeError:
        return None
    return rest


def _remember(rest: tuple[Any, ...]) -> None:
    if len(_PASSED) >= _PASSED_MAX:
        _PASSED.clear()
    _PASSED[rest] = None

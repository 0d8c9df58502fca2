"""Stored payloads checked as strictly as a clerk's input, before a node keeps them.

A fact from another node arrives as its stored payload. Each field a clerk gives is
read by the parser a clerk's input goes through (``domain.commands.SPECS``) and must be
in the form that parser returns; each field the journal derives (``org_id``,
``passed``, ``valid_until``) must be what it would derive; the journal's stateless
rules (money adds up, USCC category, grade basis, subtree) must hold. What is left to
the journal's state (duplicates, statuses) is reconciliation's to report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from domain.errors import InvalidFieldError, LedgerError, MalformedFactError
from domain.grades import scheme as grade_scheme
from domain.identity import org_id_for_filing, org_id_for_uscc
from domain.rules import check_grade_basis, check_money, check_uscc_form
from domain.shape import node_code, payload_keys
from domain.stored_corrections import check_replacement
from domain.stored_fields import (
    Stored,
    check_field,
    clerk_fields,
    derived,
    refusal,
    same,
    stored_bool,
    stored_count,
    stored_date,
    stored_uuid,
)
from domain.stored_network import NETWORK_CHECKS
from domain.stored_policy import check_programs
from domain.values import add_years

if TYPE_CHECKING:
    from collections.abc import Callable

Payload = Mapping[str, Any]


def check_stored_payload(
    fact_type: str, node: str, seq: int, payload: Payload, recorded_at: str
) -> None:
    """Refuse a stored payload no clerk's input could have become, by its field."""
    try:
        stored = Stored.of(node_code(node), seq, recorded_at)
        check = _CHECKS.get(fact_type)
        if check is None:
            raise InvalidFieldError(f"unknown fact type {fact_type!r}", field="type")
        if payload.keys() != payload_keys(fact_type):
            raise InvalidFieldError(
                f"payload fields do not match {fact_type}", field="payload"
            )
        rest = _rest(fact_type, payload, stored)
        if rest is not None and rest in _PASSED:
            own = _OWN_FIELD[fact_type]
            stored_uuid(payload[own], f"payload.{own}")
            return
        stored_date(payload["effective_on"], "payload.effective_on", stored)
        check(payload, stored)
        if rest is not None:
            _remember(rest)
    except LedgerError as error:
        message, field = error.message, error.field
    except ValueError:  # an instant no document check let through
        message, field = "recorded_at is not an instant", "recorded_at"
    else:
        return
    raise MalformedFactError(f"fact {node}/{seq}: {message}", field=field)


_OWN_FIELD = {"GradeEvaluated": "org_id", "SubsidyDecided": "org_id"}
"""Fact types whose facts repeat every field but the one naming their organization
(a year's grades and subsidies at a node share dates, grades, programs and amounts):
once such a payload passed, another differing only there needs only that field
checked."""
_PASSED: dict[tuple[Any, ...], None] = {}
_PASSED_MAX = 4096


def _rest(fact_type: str, payload: Payload, stored: Stored) -> tuple[Any, ...] | None:
    """What a repeated payload shares with one that passed, hashable (else None).
    Each value is tagged with its type, so ``True`` is never taken for ``1``."""
    own = _OWN_FIELD.get(fact_type)
    if own is None:
        return None
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


def _filed(p: Payload, stored: Stored) -> None:
    clerk_fields("OrganizationFiled", p, stored)
    if p["community"] is None and stored.node.tier == "community":
        raise InvalidFieldError(
            "payload.community is null, but a community files in itself",
            field="payload.community",
        )
    expected = str(org_id_for_filing(stored.node, p["filing_number"]))
    derived("payload.org_id", p["org_id"], expected)


def _registered(p: Payload, stored: Stored) -> None:
    clerk_fields("OrganizationRegistered", p, stored)
    _rule(check_uscc_form, p["uscc"], p["legal_form"])
    if p["upgraded_from"] is not None:
        stored_uuid(p["upgraded_from"], "payload.upgraded_from")
    expected = p["upgraded_from"] or str(org_id_for_uscc(p["uscc"]))
    derived("payload.org_id", p["org_id"], expected)


def _upgraded(p: Payload, stored: Stored) -> None:
    clerk_fields("OrganizationUpgraded", p, stored)
    stored_uuid(p["org_id"], "payload.org_id")
    _rule(check_uscc_form, p["uscc"], p["legal_form"])


def _deregistered(p: Payload, stored: Stored) -> None:
    clerk_fields("OrganizationDeregistered", p, stored)
    stored_uuid(p["org_id"], "payload.org_id")


def _graded(p: Payload, stored: Stored) -> None:
    clerk_fields("GradeEvaluated", p, stored)
    stored_uuid(p["org_id"], "payload.org_id")
    same(lambda v, _: grade_scheme(v).key, p["scheme"], "payload.scheme")
    scheme = grade_scheme(p["scheme"])
    same(lambda v, _: scheme.parse_grade(v), p["grade"], "payload.grade")
    passed = scheme.passed(p["grade"])
    derived("payload.passed", stored_bool(p["passed"], "payload.passed"), passed)
    days = add_years(p["effective_on"], scheme.valid_years) if passed else None
    derived("payload.valid_until", p["valid_until"], days)


def _decided(p: Payload, stored: Stored) -> None:
    clerk_fields("SubsidyDecided", p, stored)
    stored_uuid(p["org_id"], "payload.org_id")
    _rule(check_money, p["amount_fen"], p["shares"])
    basis = {"grade_scheme": p["grade_scheme"], "grade": p["grade"]}
    _rule(check_grade_basis, basis)
    for key in ("grade_scheme", "grade"):
        derived(f"payload.{key}", p[key], basis[key])


def _revoked(p: Payload, stored: Stored) -> None:
    clerk_fields("SubsidyRevoked", p, stored)
    _earlier("payload.decision_seq", p["decision_seq"], stored)
    stored_uuid(p["org_id"], "payload.org_id")


def _corrected(p: Payload, stored: Stored) -> None:
    clerk_fields("FactCorrected", p, stored)
    _earlier("payload.corrects_seq", p["corrects_seq"], stored)
    if p["org_id"] is not None:
        stored_uuid(p["org_id"], "payload.org_id")
    check_replacement(p["replacement"], stored)


def _policy(p: Payload, stored: Stored) -> None:
    check_field("PolicyAdopted", "name", p["name"], "payload.name", stored)
    check_programs(p["programs"], "payload.programs")


def _rule(check: Callable[..., None], *args: Any) -> None:
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


def _earlier(field: str, value: int, stored: Stored) -> None:
    """A seq of an earlier fact of the same origin."""
    if value >= stored.seq:
        raise InvalidFieldError(
            f"{field} {value} names no earlier fact of this origin", field=field
        )
    stored_count(value, field)


_CHECKS: dict[str, Callable[[Payload, Stored], None]] = {
    "OrganizationFiled": _filed,
    "OrganizationRegistered": _registered,
    "OrganizationUpgraded": _upgraded,
    "OrganizationDeregistered": _deregistered,
    "GradeEvaluated": _graded,
    "SubsidyDecided": _decided,
    "SubsidyRevoked": _revoked,
    "FactCorrected": _corrected,
    "PolicyAdopted": _policy,
    **NETWORK_CHECKS,
}

"""Which fields a correction may replace, and how a correction changes state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.journal import Journal

_ORG_DATES = {
    "OrganizationFiled": "filed_on",
    "OrganizationRegistered": "registered_on",
    "OrganizationUpgraded": "registered_on",
    "OrganizationDeregistered": "closed_on",
}
_ORG_COLUMNS = ("name", "category", "community")

CORRECTABLE: dict[str, frozenset[str]] = {
    "OrganizationFiled": frozenset(
        {
            "name",
            "category",
            "community",
            "responsible_person",
            "member_count",
            "venue",
            "funds_fen",
            "funds_source",
            "guiding_unit",
            "effective_on",
        }
    ),
    "OrganizationRegistered": frozenset({"name", "community", "effective_on"}),
    "OrganizationUpgraded": frozenset({"effective_on"}),
    "OrganizationDeregistered": frozenset({"reason", "effective_on"}),
    "GradeEvaluated": frozenset({"grade", "score", "note", "effective_on"}),
    "SubsidyDecided": frozenset(
        {"amount_fen", "shares", "grade_scheme", "grade", "note", "effective_on"}
    ),
    "SubsidyRevoked": frozenset({"reason", "effective_on"}),
}
"""Fact type -> the fields a FactCorrected may replace (identity fields never)."""


def apply_correction(journal: Journal, seq: int, replacement: dict[str, Any]) -> None:
    """Change the journal's state as the corrected fact would have."""
    ref = journal.refs[str(seq)]
    fact_type, org_id = ref["type"], ref["org_id"]
    if "grade" in replacement and fact_type == "GradeEvaluated":
        ref["grade"] = replacement["grade"]
    if org_id not in journal.orgs:
        org_id = None  # held only through descendants' facts: the views revise it
    if fact_type in _ORG_DATES and org_id is not None:
        _correct_org(journal, org_id, _ORG_DATES[fact_type], replacement)
    elif fact_type == "GradeEvaluated" and org_id is not None:
        _correct_grade(journal, org_id, seq, replacement)
    elif fact_type == "SubsidyDecided":
        _correct_subsidy(journal, seq, replacement)


def _correct_org(
    journal: Journal, org_id: str, date_field: str, replacement: dict[str, Any]
) -> None:
    org: dict[str, Any] = journal.orgs[org_id]  # type: ignore[assignment]
    for key, value in replacement.items():
        if key == "effective_on":
            org[date_field] = value
        elif key in _ORG_COLUMNS:
            org[key] = value
        elif key != "reason":
            org["details"][key] = value


def _correct_grade(
    journal: Journal, org_id: str, seq: int, replacement: dict[str, Any]
) -> None:
    for state in journal.orgs[org_id]["grades"].values():
        if state["seq"] != seq:
            continue  # a later evaluation already superseded the corrected one
        for key in ("grade", "passed", "valid_until", "score"):
            if key in replacement:
                state[key] = replacement[key]
        if "effective_on" in replacement:
            state["evaluated_on"] = replacement["effective_on"]


def _correct_subsidy(journal: Journal, seq: int, replacement: dict[str, Any]) -> None:
    subsidy = journal.subsidies[str(seq)]
    for key in ("amount_fen", "shares", "grade_scheme", "grade"):
        if key in replacement:
            subsidy[key] = replacement[key]
    if "effective_on" in replacement:
        subsidy["decided_on"] = replacement["effective_on"]

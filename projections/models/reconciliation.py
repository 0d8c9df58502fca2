"""Read models of a reconciliation: its report and each finding with evidence."""

from __future__ import annotations

from pydantic import Field

from projections.models.base import Marked, ReadModel


class Evidence(ReadModel):
    """Where to find a fact a finding rests on."""

    origin: str = Field(description="The node that recorded the fact.")
    seq: int = Field(description="Its seq at that node.")
    type: str = Field(description="The fact type.")


class Finding(ReadModel):
    """One discrepancy one rule found."""

    rule: str = Field(description="The rule, R1 to R9.")
    title: str = Field(description="The rule's title.")
    severity: str = Field(description="The rule's severity: error or warning.")
    status: str = Field(
        description="The severity, or pending while it awaits a descendant."
    )
    org_id: str = Field(description="The organization it concerns.")
    org_name: str = Field(description="Its name (its id when no name is known).")
    message_zh: str = Field(description="What is wrong, in Chinese.")
    message_en: str = Field(description="What is wrong, in English.")
    evidence: list[Evidence] = Field(description="The facts it rests on.")
    awaiting: list[str] = Field(
        description="Descendants not heard from since those facts (when pending)."
    )


class ReconciliationReport(Marked):
    """Rules R1–R9 over everything a node holds at a point."""

    node: str = Field(description="The node reconciled.")
    as_of: str = Field(description="The business date (ISO).")
    known_pos: int = Field(description="The view position the answer stands at.")
    counts: dict[str, int] = Field(description="Findings per rule, every rule named.")
    errors: int = Field(description="Findings that are errors or warnings now.")
    pending: int = Field(description="Findings awaiting a descendant.")
    discrepancies: list[Finding] = Field(description="Every finding.")

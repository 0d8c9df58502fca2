"""Read models of the registry: organizations, one organization's detail, a page."""

from __future__ import annotations

from pydantic import Field

from projections.models.base import Marked, ReadModel


class GradeHeld(ReadModel):
    """An organization's latest evaluation in one scheme on the point's date."""

    grade: str = Field(description="The grade given, e.g. 二类 or 4A.")
    passed: bool = Field(description="Whether the grade passes its scheme.")
    evaluated_on: str = Field(description="Business date of the evaluation (ISO).")
    valid_until: str | None = Field(description="Last day it holds (ISO), if any.")
    expired: bool = Field(description="Whether it had lapsed by the point's date.")
    by: str = Field(description="The node that evaluated (the fact's origin).")
    seq: int = Field(description="The evaluation's seq at its origin.")


class SubsidyCount(ReadModel):
    """Live subsidy decisions about one organization: how many, how much."""

    count: int = Field(description="Decisions in force (not revoked) at the point.")
    total_fen: int = Field(description="Their total amount, in fen.")


class Organization(ReadModel):
    """An organization as the registry knows it at a point."""

    org_id: str = Field(description="The organization's id (stable across tiers).")
    name: str | None = Field(description="Its name, from its registration or filing.")
    status: str = Field(description="filed, registered, deregistered or revoked.")
    legal_form: str | None = Field(description="Legal form of a registered one.")
    uscc: str | None = Field(description="Unified social credit code, if registered.")
    filing_number: str | None = Field(description="Filing number, if filed.")
    filing_node: str | None = Field(description="The node it was filed at.")
    category: str | None = Field(description="Category given at filing.")
    community: str | None = Field(description="Its home community's code, if named.")
    filed_on: str | None = Field(description="Business date of its filing (ISO).")
    registered_on: str | None = Field(description="Date of its registration (ISO).")
    registered_at: str | None = Field(description="The node that registered it.")
    upgraded_on: str | None = Field(
        description="Date a filed organization registered (ISO)."
    )
    closed_on: str | None = Field(description="Date it was deregistered (ISO).")
    home: str = Field(
        description="Where it counts: its community, else the node that filed or "
        "registered it."
    )
    grades: dict[str, GradeHeld] = Field(
        description="Per grading scheme, its latest evaluation."
    )
    subsidies: SubsidyCount = Field(description="Its live subsidy decisions.")


class TimelineFact(ReadModel):
    """One fact about an organization, from any tier."""

    origin: str = Field(description="The node that recorded the fact.")
    seq: int = Field(description="Its seq at that node.")
    type: str = Field(description="The fact type, e.g. OrganizationFiled.")
    tier: str = Field(description="The origin's tier: district, street or community.")
    effective_on: str = Field(description="Business date it takes effect (ISO).")
    recorded_at: str = Field(description="When its origin recorded it (UTC ISO).")
    actor: str | None = Field(
        description="Who recorded it at its origin (user:NAME, token:ID, cli:USER, "
        "node:CODE); null for facts recorded before facts named their actor."
    )


class SubsidyDecision(ReadModel):
    """A subsidy decided for an organization, live or revoked."""

    origin: str = Field(description="The node that decided it.")
    seq: int = Field(description="The decision's seq at that node.")
    period: str = Field(description="The period it is for, e.g. 2024.")
    program: str = Field(description="The subsidy program.")
    tier: str = Field(description="The deciding node's tier.")
    amount_fen: int = Field(description="Amount decided, in fen.")
    grade_scheme: str | None = Field(description="Grading scheme it rests on.")
    grade: str | None = Field(description="The grade it rests on.")
    decided_on: str = Field(description="Business date of the decision (ISO).")
    revoked_on: str | None = Field(description="Date it was revoked (ISO), if so.")
    live: bool = Field(description="Whether it is in force at the point's date.")


class OrganizationDetail(Organization, Marked):
    """One organization at a point, with every fact about it and its subsidies."""

    timeline: list[TimelineFact] = Field(
        description="Every fact about it known at the point, in force order."
    )
    subsidy_decisions: list[SubsidyDecision] = Field(
        description="Every subsidy decided for it, known at the point."
    )


class RegistryPage(Marked):
    """A page of the organizations a node knows at a point, filtered."""

    total: int = Field(description="Organizations matching the filters.")
    offset: int = Field(description="How many matching ones precede this page.")
    limit: int = Field(description="The most a page holds.")
    items: list[Organization] = Field(description="This page's organizations.")

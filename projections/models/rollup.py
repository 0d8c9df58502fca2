"""Read models of a roll-up: counts, grade classes and money per child node."""

from __future__ import annotations

from pydantic import Field

from projections.models.base import Marked, ReadModel


class OrganizationCounts(ReadModel):
    """How many organizations a row counts, by status."""

    filed: int = Field(description="Filed and not (yet) registered.")
    registered: dict[str, int] = Field(
        description="Registered, per legal form (unknown: a form not given)."
    )
    registered_total: int = Field(description="Registered, all legal forms.")
    deregistered: int = Field(description="Closed by deregistration.")
    revoked: int = Field(description="Closed by revocation.")
    upgrades: int = Field(description="Filed organizations that since registered.")


class SubsidyLine(ReadModel):
    """Live subsidies a row's subtree decided, for one period, program and tier."""

    period: str = Field(description="The period they are for, e.g. 2024.")
    program: str = Field(description="The subsidy program.")
    tier: str = Field(description="The deciding nodes' tier.")
    count: int = Field(description="Decisions in force at the point.")
    total_fen: int = Field(description="Their total, in fen (integer).")
    by_source: dict[str, int] = Field(
        description="Fen (integer) per funding source (district, street, "
        "community …) paying a share."
    )


class RollupChild(ReadModel):
    """One row of a roll-up: a child node (or community) and what it counts."""

    code: str = Field(description="The child's division code.")
    name: str = Field(description="The child's name.")
    organizations: OrganizationCounts = Field(description="Its organizations.")
    grades: dict[str, dict[str, int]] = Field(
        description="Per grading scheme in use, organizations per class: a grade, "
        "not_passed, expired or ungraded."
    )
    subsidies: list[SubsidyLine] = Field(description="Its live subsidies.")


class PeriodTotal(ReadModel):
    """Live subsidies of every row together, for one period."""

    period: str = Field(description="The period they are for, e.g. 2024.")
    count: int = Field(description="Decisions in force at the point.")
    total_fen: int = Field(description="Their total, in fen (integer).")
    by_source: dict[str, int] = Field(
        description="Fen (integer) per funding source paying a share."
    )


class RollupTotals(ReadModel):
    """A roll-up's rows added up; money per period, never summed across periods."""

    organizations: OrganizationCounts = Field(description="Every row's organizations.")
    subsidies: list[PeriodTotal] = Field(
        description="Every row's live subsidies, one entry per period, by period."
    )


class Rollup(Marked):
    """Counts, grade distributions and subsidies per child of a node at a point."""

    node: str = Field(description="The node rolled up.")
    as_of: str = Field(description="The business date (ISO): facts in force then.")
    known_pos: int = Field(description="The node's view position the answer stands at.")
    period: str | None = Field(
        description="The one period asked for (money of other periods left out), "
        "or null for every period."
    )
    periods: list[str] = Field(
        description="The periods the money is for, in order: one money column each "
        "(a sum across periods is never made)."
    )
    children: list[RollupChild] = Field(description="One row per child, by code.")
    totals: RollupTotals = Field(description="The rows added up.")

"""Read models of an audit diff: what changed in a roll-up between two standpoints —
business dates, knowledge instants, or both — and the facts that made the change."""

from __future__ import annotations

from pydantic import Field

from projections.models.base import Marked, ReadModel

SHOWN_FACTS = 1000
"""The most facts a diff lists (all are counted): a wider span is read by narrowing
it, not from a listing no one reads to its end."""


class Standpoint(ReadModel):
    """Where one side of a comparison stands."""

    as_of: str = Field(description="The business date (ISO): facts in force then.")
    known_at: str | None = Field(
        description="The knowledge instant (UTC ISO): facts the node had received by "
        "then; null for everything it held when asked."
    )
    known_pos: int = Field(description="The view position known then.")


class CountChange(ReadModel):
    """An organization count of one roll-up row that changed."""

    node: str | None = Field(description="The row's division code; null: every row.")
    node_name: str | None = Field(description="The row's name; null: every row.")
    figure: str = Field(
        description="What is counted: filed, registered_total, a legal form "
        "(social_group …), deregistered, revoked or upgrades."
    )
    from_: int = Field(alias="from", description="Organizations before.")
    to: int = Field(description="Organizations after.")


class GradeChange(ReadModel):
    """How many organizations of one roll-up row held a grade class, where that
    changed."""

    node: str | None = Field(description="The row's division code; null: every row.")
    node_name: str | None = Field(description="The row's name; null: every row.")
    scheme: str = Field(description="The grading scheme, e.g. class or national.")
    grade: str = Field(
        description="The class: a grade (二类, 4A …), not_passed, expired or ungraded."
    )
    from_: int = Field(alias="from", description="Organizations before.")
    to: int = Field(description="Organizations after.")


class Money(ReadModel):
    """Live subsidies at one standpoint."""

    count: int = Field(description="Decisions in force.")
    total_fen: int = Field(description="Their total, in fen (integer).")
    by_source: dict[str, int] = Field(
        description="Fen (integer) per funding source paying a share."
    )


class MoneyChange(ReadModel):
    """Live subsidies of one roll-up row, period, program and deciding tier (or of
    every row for one period) that changed."""

    node: str | None = Field(description="The row's division code; null: every row.")
    node_name: str | None = Field(description="The row's name; null: every row.")
    period: str = Field(description="The period the money is for, e.g. 2024.")
    program: str | None = Field(description="The program; null: every program.")
    tier: str | None = Field(description="The deciding tier; null: every tier.")
    from_: Money = Field(alias="from", description="The money before.")
    to: Money = Field(description="The money after.")


class GradeGiven(ReadModel):
    """What an evaluation gave."""

    scheme: str = Field(description="The grading scheme.")
    grade: str = Field(description="The grade given.")
    passed: bool = Field(description="Whether it passes its scheme.")


class SubsidyGiven(ReadModel):
    """What a subsidy decision decided."""

    period: str = Field(description="The period it is for.")
    program: str = Field(description="The program.")
    amount_fen: int = Field(description="The amount, in fen (integer).")
    revoked_on: str | None = Field(description="The date it was revoked, if so.")


class FactInDiff(ReadModel):
    """A fact in force and known at the later standpoint but not at the earlier:
    one that made the difference."""

    pos: int = Field(description="The view position this version was learned at.")
    origin: str = Field(description="The node that recorded it.")
    origin_name: str = Field(description="That node's name.")
    seq: int = Field(description="Its seq at that node.")
    type: str = Field(description="The fact type.")
    tier: str = Field(description="The origin's tier.")
    revised: bool = Field(
        description="Whether this is a version a later revocation or correction "
        "made of the fact (that fact is listed too when it made the difference)."
    )
    org_id: str | None = Field(description="The organization it concerns.")
    org_name: str | None = Field(
        description="Its name, as known at the later standpoint (null if unknown)."
    )
    org_number: str | None = Field(
        description="Its unified social credit code if registered, else its filing "
        "number."
    )
    effective_on: str = Field(description="Business date it takes effect (ISO).")
    recorded_at: str = Field(description="When its origin recorded it (UTC ISO).")
    grade: GradeGiven | None = Field(description="What an evaluation gave.")
    subsidy: SubsidyGiven | None = Field(description="What a subsidy decided.")
    refers_to_seq: int | None = Field(
        description="The seq (at the same origin) a revocation or correction names."
    )


class AuditDiff(Marked):
    """What changed in a node's roll-up from one standpoint to another — two
    business dates, two knowledge instants, or both — and the facts that did it."""

    node: str = Field(description="The node rolled up.")
    node_name: str = Field(description="Its name.")
    from_: Standpoint = Field(alias="from", description="The earlier standpoint.")
    to: Standpoint = Field(description="The later standpoint.")
    organizations: list[CountChange] = Field(
        description="Organization counts that changed, by row."
    )
    grades: list[GradeChange] = Field(description="Grade classes that changed, by row.")
    money: list[MoneyChange] = Field(
        description="Live subsidies that changed, by row and period (never summed "
        "across periods)."
    )
    facts: list[FactInDiff] = Field(
        description=f"The first {SHOWN_FACTS} facts in the later standpoint and not "
        "the earlier, in the order learned (by business date when only the dates "
        "differ)."
    )
    facts_total: int = Field(
        description="How many facts are in the later standpoint and not the earlier."
    )

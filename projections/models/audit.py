"""Read models of the auditors' questions: an organization's facts in both orders,
and a verification of every chain (a roll-up's changes: ``models.audit_diff``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field, PrivateAttr

from domain.messages import Text
from projections.models.base import Marked, ReadModel

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.verify import VerifyReport

SHOWN_PROBLEMS = 20
"""The most problems an answer lists per origin (all are counted)."""


class LearnedVersion(ReadModel):
    """A fact about an organization: its latest known version, and when it was
    first learned."""

    origin: str = Field(description="The node that recorded it.")
    seq: int = Field(description="Its seq at that node.")
    type: str = Field(description="The fact type.")
    tier: str = Field(description="The origin's tier.")
    effective_on: str = Field(description="Business date it takes effect (ISO).")
    recorded_at: str = Field(description="When its latest version was recorded.")
    actor: str | None = Field(
        description="Who recorded it at its origin (user:NAME, token:ID, cli:USER, "
        "node:CODE); null for facts recorded before facts named their actor."
    )
    learned_pos: int = Field(description="The view position first learned at.")


class AuditTimeline(Marked):
    """Every fact about one organization from every tier, in both orders."""

    org_id: str = Field(description="The organization's id.")
    name: str | None = Field(description="Its name.")
    status: str = Field(description="Its status at the point.")
    in_effective_order: list[LearnedVersion] = Field(
        description="By business date, then origin and seq."
    )
    in_knowledge_order: list[LearnedVersion] = Field(
        description="In the order this node learned them."
    )


class ChainVerified(ReadModel):
    """What a verification found of one origin's chain."""

    origin: str = Field(description="The origin whose chain was verified.")
    facts: int = Field(description="Facts checked.")
    head_seq: int = Field(description="The last seq checked.")
    head_hash: str = Field(description="The hash at that seq.")
    ok: bool = Field(description="Whether the chain and its signatures hold.")
    problem_count: int = Field(description="Problems found.")
    problems: list[str] = Field(
        description=f"The first {SHOWN_PROBLEMS} problems found."
    )
    _texts: tuple[Text, ...] = PrivateAttr(default=())

    @property
    def problem_texts(self) -> tuple[Text, ...]:
        """The same problems, to show in the reader's language (``problems`` are
        English, as the API and stored reports keep them); as given when this
        answer was not made from the reports here (read from another node)."""
        if self._texts or not self.problems:
            return self._texts
        return tuple(Text("{problem}", problem=p) for p in self.problems)


class Verification(ReadModel):
    """A verification, now, of every chain a node holds."""

    ok: bool = Field(description="Whether every chain holds.")
    origins: list[ChainVerified] = Field(description="One entry per origin.")

    @classmethod
    def of(cls, reports: Mapping[str, VerifyReport]) -> Verification:
        """The read model of a verification's reports, by origin."""
        return cls(
            ok=all(r.ok for r in reports.values()),
            origins=[_chain(origin, r) for origin, r in reports.items()],
        )


def _chain(origin: str, report: VerifyReport) -> ChainVerified:
    shown = report.problems[:SHOWN_PROBLEMS]
    chain = ChainVerified(
        origin=origin, facts=report.checked, head_seq=report.last_seq,
        head_hash=report.last_hash, ok=report.ok, problem_count=len(report.problems),
        problems=[str(p) for p in shown],
    )  # fmt: skip
    chain._texts = tuple(p.text for p in shown)
    return chain

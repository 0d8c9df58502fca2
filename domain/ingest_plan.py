"""What checking a batch from below decides, before anything is stored: per origin,
the facts new here, the keys learnt, and any fork."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.facts import Fact


@dataclass(frozen=True)
class Fork:
    """The origin signed a history that differs from the one held at ``seq``."""

    origin: str
    seq: int
    held_hash: str
    offered_hash: str
    offered: dict[str, Any]
    """The offered fact that shows ``offered_hash`` (its own hash or its prev_hash)."""
    offered_seq: int


@dataclass
class OriginPlan:
    """One origin's facts in a batch, and what they do to the copy held here."""

    seq: int
    """The last seq held after the batch."""
    hash: str
    signed_seq: int
    """The origin's latest seq covered by a checkpoint verified in this batch."""
    offered: list[tuple[Fact, object]] = field(default_factory=list)
    held_seq: int = 0
    """The last seq held before the batch (always one of the origin's checkpoints)."""
    key: str | None = None
    first_new: int = 0
    new: list[Fact] = field(default_factory=list)
    enrollments: dict[str, str] = field(default_factory=dict)
    fork: Fork | None = None


@dataclass
class IngestPlan:
    """The checked outcome of a batch, before anything is stored."""

    origins: dict[str, OriginPlan] = field(default_factory=dict)
    duplicates: int = 0
    fork: Fork | None = None

    @property
    def new_facts(self) -> list[Fact]:
        """Every new fact, origin by origin, ancestors first."""
        return [f for plan in self.origins.values() for f in plan.new]

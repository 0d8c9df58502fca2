"""What every read model shares, and the mark of an answer forced over broken chains."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from projections.view import Point


class ReadModel(BaseModel):
    """A frozen answer of a node's query: unknown fields refused, aliases written."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", serialize_by_alias=True, validate_by_name=True
    )


class ChainBreakMark(ReadModel):
    """Where the last verification of an origin found its chain first broken."""

    origin: str = Field(description="The origin whose chain is broken.")
    seq: int = Field(description="The first seq found broken.")
    reason: str = Field(description="What was wrong there.")


def _unmarked(value: Any) -> bool:
    return value is None


class Marked(ReadModel):
    """An answer at a point: it leads with ``chain_broken`` when forced over broken
    chains, and has no such field otherwise."""

    chain_broken: list[ChainBreakMark] | None = Field(
        default=None,
        exclude_if=_unmarked,
        description="Chains recorded broken when an auditor forced this answer "
        "(allow_broken); absent from an answer over intact chains.",
    )


def marks(point: Point) -> list[ChainBreakMark] | None:
    """The marks of an answer at ``point``: its breaks, or None if it has none."""
    if not point.broken:
        return None
    return [
        ChainBreakMark(origin=b.origin, seq=b.seq, reason=str(b.reason))
        for b in point.broken
    ]

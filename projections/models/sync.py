"""Read models of a node's sync status: what it holds of each origin, open forks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from projections.models.base import ReadModel

if TYPE_CHECKING:
    from domain.node_sync import SyncStatus as HeldStatus


class OriginHeld(ReadModel):
    """What a node holds of one origin's journal."""

    origin: str = Field(description="The origin's division code.")
    seq: int = Field(description="The last seq held (0: none yet).")
    hash: str = Field(description="The hash at that seq.")
    signed_seq: int = Field(description="The last seq covered by its signed head.")
    via: str = Field(description="The child it last arrived through.")
    last_contact: str = Field(description="When it last arrived (UTC ISO), or never.")
    direct_child: bool = Field(description="Whether the origin is a direct child.")
    enrolled: bool = Field(description="Whether its public key is trusted here.")
    reported_head: int | None = Field(
        description="The seq the origin had at last contact, if it said."
    )
    lag: int | None = Field(
        description="Facts the origin had at last contact not held here yet."
    )


class ForkReport(ReadModel):
    """An open fork: two different facts offered at one seq of an origin."""

    origin: str = Field(description="The origin forked.")
    at_seq: int = Field(description="The seq with two histories.")
    held_hash: str = Field(description="The hash held.")
    offered_hash: str = Field(description="The hash offered and refused.")
    via: str = Field(description="The child that offered it.")
    detected_seq: int = Field(description="The seq of this node's ForkDetected.")


class SyncStatus(ReadModel):
    """Per origin: last seq, hash, last contact and lag; open fork reports."""

    origins: list[OriginHeld] = Field(description="One entry per origin held.")
    forks: list[ForkReport] = Field(description="Fork reports not yet resolved.")

    @classmethod
    def of(cls, status: HeldStatus) -> SyncStatus:
        """The read model of the sync service's status."""
        return cls(
            origins=[
                OriginHeld(
                    origin=o.origin, seq=o.seq, hash=o.hash, signed_seq=o.signed_seq,
                    via=o.via, last_contact=o.last_contact,
                    direct_child=o.direct_child, enrolled=o.enrolled,
                    reported_head=o.reported_head, lag=o.lag,
                )
                for o in status.origins
            ],
            forks=[ForkReport.model_validate(fork) for fork in status.forks],
        )  # fmt: skip

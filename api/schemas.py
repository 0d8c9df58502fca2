"""Request and response bodies of the node's HTTP API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_FACTS = 5000
MAX_POSITION = 2**62
"""Largest seq or feed position a request may name (fits a 64-bit column)."""


class HeadPublic(BaseModel):
    """A node's head: (node, seq, hash) commits to its whole history."""

    node: str = Field(examples=["330211001001"])
    seq: int = Field(examples=[63])
    hash: str = Field(
        examples=["9d406d5494243dfe700ac74fc31abc7376c01f32a7f98d54bd7825b0aaa0f06b"]
    )


class FeedPagePublic(BaseModel):
    """A page of a node's feed: its own and its descendants' facts, in arrival order."""

    node: str
    facts: list[dict[str, Any]]
    position: int = Field(description="Feed position of the page's last fact.")
    head_seq: int
    head_hash: str
    signed_head: dict[str, Any] | None = Field(
        default=None, description="The node's latest checkpoint, as a fact document."
    )


class IngestBody(BaseModel):
    """Facts pushed up by a child (or carried in a bundle)."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(pattern=r"^[0-9]{4,12}$", examples=["330211001001"])
    feed_position: int = Field(
        ge=0,
        le=MAX_POSITION,
        description="Position in the source's feed after these facts.",
    )
    source_head: int = Field(default=0, ge=0, le=MAX_POSITION)
    transport: Literal["push", "bundle"] = "push"
    facts: list[dict[str, Any]] = Field(max_length=MAX_FACTS)
    signed_head: dict[str, Any] | None = Field(
        default=None,
        description="The source's latest checkpoint: compared with what is held, "
        "so a diverged history is a fork even when no fact links.",
    )


class WitnessPublic(BaseModel):
    """A parent's signed receipt: it holds the child's journal up to (seq, hash)."""

    model_config = ConfigDict(extra="forbid")

    parent: str = Field(pattern=r"^[0-9]{4,12}$", examples=["330211001"])
    parent_key: str = Field(max_length=64)
    child: str = Field(pattern=r"^[0-9]{4,12}$", examples=["330211001001"])
    seq: int = Field(ge=1, le=MAX_POSITION)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    signature: str = Field(max_length=128)
    at: str = Field(max_length=40)


class IngestPublic(BaseModel):
    """What an ingest stored."""

    source: str
    new: dict[str, tuple[int, int]] = Field(
        description="origin -> (from_seq, to_seq) stored"
    )
    duplicates: int
    feed_position: int
    behind: bool = Field(
        default=False,
        description="The source signed a head past what is held: push from the start.",
    )
    witness: WitnessPublic | None = None


class CursorPublic(BaseModel):
    """Where the receiver's copy of a source's feed ends."""

    source: str
    feed_position: int


class HealthPublic(BaseModel):
    """The node is up."""

    status: Literal["ok"] = Field(description="Always ok: the node answers.")
    node: str = Field(description="The node's division code.")


class CheckpointPublic(BaseModel):
    """A checkpoint signed on request."""

    seq: int | None = Field(
        description="The Checkpoint fact's seq (null: nothing new to sign)."
    )


class RebuildPublic(BaseModel):
    """Views built anew."""

    positions: int = Field(description="Ledger positions processed.")


class RefusedPublic(BaseModel):
    """A fact of an import that was not recorded, and why."""

    index: int = Field(description="The fact's place in the request, from 1.")
    code: str = Field(description="The error code, as problem documents give it.")
    detail: str = Field(description="What is wrong.")
    field: str | None = Field(description="The field that is wrong, if one is.")

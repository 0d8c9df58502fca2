"""The read model of one fact as people read it (``projections.documents``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from projections.models.base import ReadModel


class FactDocument(ReadModel):
    """A fact: the fields its hash covers, and its hashes; personal data masked."""

    node: str = Field(description="The node that recorded it (its origin).")
    seq: int = Field(description="Its seq in that node's journal.")
    type: str = Field(description="The fact type, e.g. OrganizationFiled.")
    effective_on: str = Field(description="Business date it takes effect (ISO).")
    recorded_at: str = Field(description="When it was recorded (UTC ISO).")
    actor: str | None = Field(
        description="Who recorded it (user:NAME, token:ID, cli:USER, node:CODE), "
        "under its hash; null for facts recorded before facts named their actor "
        "and for checkpoints, which their signature attributes."
    )
    payload: dict[str, Any] = Field(
        description="The type's fields (docs/facts.md), phone and ID numbers masked."
    )
    prev_hash: str = Field(description="The hash of the fact before it.")
    hash: str = Field(description="Its hash, chaining it to that one.")

"""LedgerOpened: the genesis fact (seq 1), written by ``tierledger init`` only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from eventsourcing.domain import Aggregate

from domain.definition import FactType
from domain.facts import Fact
from domain.stored_fields import derived, same, stored_key
from domain.text import parse_text

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.stored_fields import Stored

NAME_LENGTH = 100
"""A node's name, as ``tierledger init`` takes it."""


class LedgerOpened(Fact, Aggregate.Created):
    """Genesis fact: the node, its name and tier, and its public key."""

    node_name: str
    tier: str
    parent: str | None
    public_key: str | None

    org_field: ClassVar[str | None] = None

    def evolve(self, journal: Journal) -> None:
        journal.node = self.node
        journal.node_name = self.node_name
        journal.public_key = self.public_key


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A name as ``init`` takes it; tier and parent from the node's code; a key."""
    name = p["node_name"]
    same(lambda v, f: parse_text(v, f, max_len=NAME_LENGTH), name, "payload.node_name")
    derived("payload.tier", p["tier"], stored.node.tier)
    parent = stored.node.parent
    derived("payload.parent", p["parent"], parent.value if parent else None)
    if p["public_key"] is not None:
        stored_key(p["public_key"], "payload.public_key")


FACT_TYPE = FactType(LedgerOpened, check_stored)

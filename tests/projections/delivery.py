"""Communities that record varied facts, and streets that receive them in any order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from domain.codes import NodeCode, division_name
from infrastructure.keys import create_key
from service import node as service
from service.node import open_views
from sync import runner
from sync.local import LocalPeer
from tests.projections.scenario import KINDS, Clerk

if TYPE_CHECKING:
    from domain.node_sync import NodeSync
    from infrastructure.stores import Store
    from projections.node_views import NodeViews

STREET = "330211001"
COMMUNITIES = ("330211001001", "330211001002")


def open_node(store: Store, code: str) -> NodeSync:
    """A node with a key pair and its genesis fact (its sync service)."""
    node = NodeCode(code)
    key = create_key(store.key_path(node))
    opened = service.open_node(store, node, create=True)
    opened.ledger.open(division_name(node) or f"节点{code}", key, "2018-01-01")
    return opened.sync


def busy_community(store: Store) -> NodeSync:
    """A community that has recorded every kind of fact, eight times over."""
    node = open_node(store, COMMUNITIES[0])
    clerk = Clerk(node.ledger, seed=3)
    for kind in KINDS * 8:
        clerk.act(kind)
    return node


@dataclass
class Stations:
    """Community stations with their recorded facts, as feed pages."""

    store: Store
    seed: int = 0
    nodes: dict[str, NodeSync] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for code in COMMUNITIES:
            self.nodes[code] = open_node(self.store, code)

    def record(self, count: int) -> None:
        """Each station records about ``count`` facts of every kind, then signs."""
        for node in self.nodes.values():
            clerk = Clerk(node.ledger, self.seed)
            kinds = itertools.cycle(KINDS)
            recorded = 0
            for _ in range(count * 4):
                recorded += clerk.act(next(kinds))
                if recorded >= count:
                    break
            node.checkpoint()

    def pages(self, size: int) -> list[tuple[str, list[dict[str, Any]], int]]:
        """(source, documents, feed position) of every station's feed, ``size`` each."""
        found = []
        for code, node in self.nodes.items():
            after = 0
            while (page := node.feed(after, size)).facts:
                after = page.position
                found.append((code, page.facts, after))
        return found

    def keys(self) -> dict[str, str]:
        """Each station's public key."""
        keys = {}
        for code, node in self.nodes.items():
            key = node.ledger.journal().public_key
            assert key is not None
            keys[code] = key
        return keys

    def close(self) -> None:
        """Close the stations' stores."""
        for node in self.nodes.values():
            node.ledger.close()


def street(store: Store, keys: dict[str, str]) -> NodeSync:
    """A street node that trusts the stations."""
    node = open_node(store, STREET)
    for code, key in sorted(keys.items()):
        node.enroll(code, key)
    return node


def deliver(node: NodeSync, pages: list[tuple[str, list[dict[str, Any]], int]]) -> None:
    """Ingest pages in the given order (each origin's pages must stay in order)."""
    for source, documents, position in pages:
        node.ingest(source, documents, transport="push", feed_position=position)


def interleave(
    pages: list[tuple[str, list[dict[str, Any]], int]], order: list[int]
) -> list[tuple[str, list[dict[str, Any]], int]]:
    """The pages merged in the order the choices give, each origin's own kept."""
    queues = {code: [p for p in pages if p[0] == code] for code in COMMUNITIES}
    merged: list[tuple[str, list[dict[str, Any]], int]] = []
    for choice in itertools.chain(order, itertools.repeat(0)):
        live = [code for code in COMMUNITIES if queues[code]]
        if not live:
            return merged
        merged.append(queues[live[choice % len(live)]].pop(0))
    return merged


def views_of(store: Store, node: NodeSync) -> NodeViews:
    """The node's views on its store."""
    return open_views(store, node.ledger)


def synced(store: Store) -> tuple[NodeSync, NodeSync]:
    """A community that filed one organization, and its street that pulled it."""
    community, street = open_node(store, COMMUNITIES[0]), open_node(store, STREET)
    key = community.ledger.journal().public_key
    assert key is not None
    street.enroll(COMMUNITIES[0], key)
    community.ledger.record(
        "OrganizationFiled",
        {"filing_number": "备1", "name": "邻里互助会", "category": "生活服务",
         "effective_on": "2022-01-10"},
    )  # fmt: skip
    runner.pull(street, LocalPeer(community, STREET))
    return community, street

"""A tree of nodes in one process, each with its own store and key, for sync tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.codes import NodeCode
from domain.errors import LedgerError
from infrastructure.keys import Ed25519Verifier, create_key
from service.node import Node, open_node
from sync import runner
from sync.local import LocalPeer
from testdata.generator import Generator

if TYPE_CHECKING:
    from pathlib import Path

    from domain.node_sync import NodeSync
    from infrastructure.stores import Store
    from projections.node_views import NodeViews

DISTRICT = "330211"
STREETS = ["330211001", "330211002"]
COMMUNITIES = ["330211001001", "330211001002", "330211002001", "330211002008"]
TREE = [DISTRICT, *STREETS, *COMMUNITIES]


class Network:
    """Nodes by code, enrolled with their parents."""

    def __init__(self, store: Store, codes: list[str] = TREE) -> None:
        self.store, self.verifier = store, Ed25519Verifier()
        self.opened: dict[str, Node] = {}
        """Each node as the composition root builds it."""
        self.nodes: dict[str, NodeSync] = {}
        """Each node's sync service."""
        self.generators: dict[str, Generator] = {}
        for code in codes:
            self.nodes[code] = self.open(code)
        for code in codes:
            parent = NodeCode(code).parent
            if parent is not None and parent.value in self.nodes:
                key = self.nodes[code].ledger.journal().public_key
                assert key is not None
                self.nodes[parent.value].enroll(code, key)

    def open(self, code: str) -> NodeSync:
        """Create a node: key pair, store, genesis fact."""
        public_key = create_key(self.store.key_path(NodeCode(code)))
        opened = self.opened[code] = open_node(self.store, code, create=True)
        opened.ledger.open(f"节点{code}", public_key, "2020-01-02")
        return opened.sync

    def node_views(self, code: str) -> NodeViews:
        """A node's views."""
        return self.opened[code].views

    def restart(self, code: str) -> None:
        """Close a node and open it afresh from its store, as after a crash."""
        self.opened[code].close()
        self.opened[code] = open_node(self.store, code)
        self.nodes[code] = self.opened[code].sync

    def restore_backup(self, code: str, seq: int) -> None:
        """Put back an older copy of a node's store: its journal ends at ``seq``."""
        from tests.projections.tampering import Tamperer

        Tamperer(self.store, NodeCode(code)).truncate(seq)
        self.restart(code)

    def close(self) -> None:
        """Close every node's store."""
        for node in self.opened.values():
            node.close()

    def record(self, code: str, count: int = 5) -> None:
        """Record ``count`` realistic facts at a node."""
        generator = self.generators.setdefault(code, Generator(NodeCode(code)))
        communities = [NodeCode(c) for c in COMMUNITIES if c.startswith(code)] or [
            NodeCode(COMMUNITIES[0])
        ]
        recorded = 0
        for fact_type, data in generator.years(2021, 2030, 2, communities):
            if recorded == count:
                return
            try:
                self.nodes[code].ledger.record(fact_type, data)
                recorded += 1
            except LedgerError:
                continue  # e.g. a grade for an organization filed at another node

    def pull(self, parent: str, child: str) -> runner.SyncRun:
        """The parent pulls the child's feed."""
        return runner.pull(self.nodes[parent], LocalPeer(self.nodes[child], parent))

    def push(self, child: str, parent: str) -> runner.SyncRun:
        """The child pushes to the parent."""
        return runner.push(self.nodes[child], LocalPeer(self.nodes[parent], child))

    def carry(self, child: str, parent: str, path: Path) -> runner.SyncRun:
        """Export a bundle at the child and import it at the parent."""
        runner.export(self.nodes[child], path)
        return runner.import_bundle(self.nodes[parent], path)

    def held(self, at: str, origin: str) -> list[str]:
        """The hashes of ``origin``'s journal as stored at node ``at``."""
        from domain.identity import journal_id

        ledger = self.nodes[at].ledger
        rows = ledger.recorder.select_events(journal_id(NodeCode(origin)), limit=10**6)
        return [ledger.decode(row).hash for row in rows]

    def verify_everywhere(self) -> dict[str, list[str]]:
        """Problems per (node, origin); empty when every chain everywhere verifies."""
        problems: dict[str, list[str]] = {}
        for code, node in self.nodes.items():
            for origin, report in node.verify_all().items():
                if not report.ok:
                    problems[f"{code}:{origin}"] = [str(p) for p in report.problems]
        return problems

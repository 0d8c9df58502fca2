"""The 招宝山街道 seed network for reconciliation tests: three communities, the street
(with the shipped policy) and the district, synced in process."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.node import open_views
from sync import runner
from sync.local import LocalPeer
from testdata import seed
from tests.projections.delivery import open_node

if TYPE_CHECKING:
    from domain.node_sync import NodeSync
    from infrastructure.stores import Store
    from projections.models.reconciliation import ReconciliationReport
    from projections.node_views import NodeViews


class SeedNetwork:
    """The nodes of the seed scenario, each with its views."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.nodes: dict[str, NodeSync] = {
            code: open_node(store, code)
            for code in (*seed.COMMUNITIES, seed.STREET, seed.DISTRICT)
        }
        self.views: dict[str, NodeViews] = {}
        self.street_seqs: list[int] = []
        for parent, children in (
            (seed.STREET, seed.COMMUNITIES),
            (seed.DISTRICT, (seed.STREET,)),
        ):
            for child in children:
                key = self.nodes[child].ledger.journal().public_key
                assert key is not None
                self.nodes[parent].enroll(child, key)
        for code in (seed.STREET, seed.DISTRICT):
            self.views[code] = open_views(store, self.nodes[code].ledger)

    def record(self, code: str, fact_type: str, data: dict[str, Any]) -> int:
        """Record one fact at a node; its seq."""
        return self.nodes[code].ledger.record(fact_type, data).seq

    def build(self) -> None:
        """The seed year: filings, the policy, evaluations and subsidies; synced."""
        for community, items in seed.filings().items():
            for fact_type, data in items:
                self.record(community, fact_type, data)
        self.record(seed.STREET, "PolicyAdopted", seed.policy())
        self.sync()
        self.street_seqs = [
            self.record(seed.STREET, fact_type, data)
            for fact_type, data in seed.street_year()
        ]
        """The street's seq of each item of its year: evaluation n is item n."""
        self.sync()

    def sync(self) -> None:
        """Communities up to the street, the street up to the district."""
        street = self.nodes[seed.STREET]
        for community in seed.COMMUNITIES:
            runner.pull(street, LocalPeer(self.nodes[community], seed.STREET))
        runner.pull(self.nodes[seed.DISTRICT], LocalPeer(street, seed.DISTRICT))

    def reconcile(
        self, code: str, as_of: str | None = None, known_at: str | None = None
    ) -> ReconciliationReport:
        """A node's reconciliation at a point."""
        views = self.views[code]
        return views.reconcile(views.point(as_of, known_at))

    def close(self) -> None:
        """Close every view and ledger."""
        for views in self.views.values():
            views.close()
        for node in self.nodes.values():
            node.ledger.close()

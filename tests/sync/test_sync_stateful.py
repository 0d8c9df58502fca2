"""Random interleavings of record, pull, push, bundles, redelivery and crashes.

At every step every chain at every node verifies and each node holds a prefix of each
origin's journal, verbatim; after a final bottom-up sweep the tree has converged.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain.errors import LedgerError
from infrastructure.stores import Store
from tests.sync.network import COMMUNITIES, DISTRICT, STREETS, Network

STREET = STREETS[0]
TREE = [DISTRICT, STREET, COMMUNITIES[0], COMMUNITIES[1]]
EDGES = [(COMMUNITIES[0], STREET), (COMMUNITIES[1], STREET), (STREET, DISTRICT)]
TRANSPORTS = ("pull", "push", "bundle")


class PowerCutError(RuntimeError):
    """The receiving process dies in the middle of storing."""


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="tierledger-sync-"))
        self.net = Network(Store(self.folder / "home"), TREE)
        self.carried = 0

    def teardown(self) -> None:
        self.net.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(node=st.sampled_from(TREE), count=st.integers(1, 4))
    def record(self, node: str, count: int) -> None:
        self.net.record(node, count)

    @rule(edge=st.sampled_from(EDGES), how=st.sampled_from(TRANSPORTS))
    def sync(self, edge: tuple[str, str], how: str) -> None:
        self.move(edge, how)

    @rule(
        edge=st.sampled_from(EDGES),
        how=st.sampled_from(TRANSPORTS),
        on_call=st.integers(1, 3),
        after_commit=st.booleans(),
    )
    def crash(
        self, edge: tuple[str, str], how: str, on_call: int, after_commit: bool
    ) -> None:
        """The parent dies on its ``on_call``-th save, before or after committing."""
        ledger = self.net.nodes[edge[1]].ledger
        original = ledger._insert
        calls = {"n": 0}

        def dying(*args: Any, **kwargs: Any) -> Any:
            calls["n"] += 1
            if calls["n"] != on_call:
                return original(*args, **kwargs)
            if after_commit:
                original(*args, **kwargs)
            raise PowerCutError("power cut")

        ledger._insert = dying  # type: ignore[method-assign]
        try:
            self.move(edge, how)
        except PowerCutError:
            # The process restarts: nothing it held in memory survives.
            self.net.restart(edge[1])
        else:
            del ledger._insert

    @rule(edge=st.sampled_from(EDGES))
    def redeliver(self, edge: tuple[str, str]) -> None:
        """A page the parent may already hold arrives again: nothing changes."""
        child, parent = edge
        page = self.net.nodes[child].feed(0, 50)
        before = self.net.nodes[parent].ledger.head()
        try:
            report = self.net.nodes[parent].ingest(
                child, page.facts, transport="push", feed_position=page.position
            )
        except LedgerError:
            return  # e.g. the page starts beyond what the parent holds: a seq gap
        if report.new_count == 0:
            assert self.net.nodes[parent].ledger.head() == before

    @rule()
    def settle(self) -> None:
        """Sync every edge bottom-up: the district then holds everything."""
        for edge in EDGES:
            self.move(edge, "pull")
        for origin in TREE[1:]:
            assert self.net.held(DISTRICT, origin) == self.net.held(origin, origin)

    def move(self, edge: tuple[str, str], how: str) -> None:
        child, parent = edge
        if how == "pull":
            self.net.pull(parent, child)
        elif how == "push":
            self.net.push(child, parent)
        else:
            self.carried += 1
            self.net.carry(child, parent, self.folder / f"{self.carried}.bundle")

    @invariant()
    def every_chain_verifies(self) -> None:
        assert self.net.verify_everywhere() == {}

    @invariant()
    def every_node_holds_a_verbatim_prefix(self) -> None:
        for holder in TREE:
            for origin in TREE:
                if origin == holder or not origin.startswith(holder):
                    continue
                held = self.net.held(holder, origin)
                assert held == self.net.held(origin, origin)[: len(held)]


# Each example builds four nodes with keys and stores: fewer, longer runs.
SyncMachine.TestCase.settings = settings(
    SyncMachine.TestCase.settings,
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
)
test_sync_under_random_interleavings = SyncMachine.TestCase

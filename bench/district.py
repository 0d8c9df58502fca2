"""A district-sized network: 20 streets, 300 communities, a million facts synced up.

    python -m bench.district [--facts 1000000] [--store sqlite|postgres] [--root DIR]

镇海区 (330211) as shipped — its 7 streets/towns and 101 communities with their real
codes — grown to the scale DESIGN.md gives for a district with 13 simulated streets
(township part 901–913, "模拟街道N") and 199 simulated communities (village part
901–915, "模拟社区N"): codes NBS never issues, so nothing here passes for a real place.

Each community records its share of ``--facts`` (filings, yearly class grades, graded
subsidies over decades), signs its head, then every street pulls its communities and
the district pulls its streets, in process through the one ingest path. Wall times of
each step are printed and kept in ``ROOT/district.json``; the built network stays in
ROOT for the projection and reconciliation benchmarks (built once, reused).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from bench.append import DATABASE_URL
from domain.codes import NodeCode, division_name
from infrastructure.keys import create_key
from infrastructure.stores import Store
from service.node import open_node
from sync import runner
from sync.local import LocalPeer
from testdata.generator import Generator, community_codes

if TYPE_CHECKING:
    from collections.abc import Iterator

    from domain.node_sync import NodeSync

DISTRICT = NodeCode("330211")
SIMULATED_STREETS = 13
COMMUNITIES = 300
FIRST_YEAR = 1995


@dataclass
class Tree:
    """The district's nodes: streets and their communities, real ones first."""

    streets: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def communities(self) -> list[str]:
        """Every community, street by street."""
        return [c for members in self.streets.values() for c in members]


def district_tree(communities: int = COMMUNITIES) -> Tree:
    """镇海区's real streets and communities, then simulated ones up to the count."""
    tree = Tree()
    for code in community_codes():
        street = code.parent
        assert street is not None
        tree.streets.setdefault(street.value, []).append(code.value)
        tree.names[code.value] = division_name(code) or code.value
        tree.names[street.value] = division_name(street) or street.value
    missing = communities - len(tree.communities)
    for index in range(SIMULATED_STREETS):
        simulated = f"{DISTRICT.value}{901 + index}"
        tree.names[simulated] = f"模拟街道{index + 1}"
        share = missing // SIMULATED_STREETS + (index < missing % SIMULATED_STREETS)
        tree.streets[simulated] = [f"{simulated}{901 + n}" for n in range(share)]
        for n, member in enumerate(tree.streets[simulated], start=1):
            tree.names[member] = f"模拟社区{index + 1}-{n}"
    tree.names[DISTRICT.value] = "镇海区"
    return tree


def community_items(code: str, quota: int) -> Iterator[tuple[int, Any]]:
    """A community's numbered facts over the decades, up to ``quota``."""
    node = NodeCode(code)
    items = Generator(node).years(FIRST_YEAR, 2100, 4, [node])
    for number in range(1, quota + 1):
        yield number, next(items)


def progress() -> Progress:
    """A progress bar for one step of the build."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )


class Builder:
    """Builds the network step by step, timing each step."""

    def __init__(self, store: Store, tree: Tree) -> None:
        self.store, self.tree = store, tree
        self.timings: dict[str, float] = {}

    def open(self, code: str, *, create: bool = False) -> NodeSync:
        """A node's sync service; ``create`` makes its key, store and genesis fact."""
        node = NodeCode(code)
        key = create_key(self.store.key_path(node)) if create else None
        opened = open_node(self.store, node, create=create)
        if create:
            opened.ledger.open(self.tree.names[code], key, "1995-01-01")
        return opened.sync

    def timed(self, step: str, started: float) -> None:
        """Keep and print a step's wall time."""
        self.timings[step] = time.perf_counter() - started
        print(f"{step}: {self.timings[step]:.1f} s")

    def record_communities(self, facts: int) -> int:
        """Every community records its share of the facts and signs its head."""
        quota = facts // len(self.tree.communities)
        started, total = time.perf_counter(), 0
        with progress() as bar:
            task = bar.add_task("communities record", total=len(self.tree.communities))
            for code in self.tree.communities:
                node = self.open(code, create=True)
                receipts, _ = node.ledger.record_many(community_items(code, quota))
                node.checkpoint()
                total += len(receipts) + 2
                node.ledger.close()
                bar.advance(task)
        self.timed("record", started)
        return total

    def enroll(self) -> None:
        """Streets enrol their communities; the district enrols its streets."""
        district = self.open(DISTRICT.value, create=True)
        for street, members in self.tree.streets.items():
            node = self.open(street, create=True)
            for community in members:
                key = self.store_key(community)
                node.enroll(community, key)
            district.enroll(street, self.store_key(street))
            node.ledger.close()
        district.ledger.close()

    def store_key(self, code: str) -> str:
        """A node's public key as its genesis fact announced it."""
        ledger = self.store.open_ledger(NodeCode(code))
        key = ledger.journal().public_key
        ledger.close()
        assert key is not None
        return key

    def hop(self, name: str, pairs: list[tuple[str, list[str]]], facts: int) -> None:
        """Each parent pulls each of its children, page by page."""
        started = time.perf_counter()
        with progress() as bar:
            task = bar.add_task(name, total=facts)
            for parent, children in pairs:
                node = self.open(parent)
                for child in children:
                    source = self.open(child)
                    moved = runner.pull(node, LocalPeer(source, parent))
                    bar.advance(task, moved.new)
                    source.ledger.close()
                node.checkpoint()
                node.ledger.close()
        self.timed(name, started)


def _held(node: NodeSync) -> int:
    return sum(o["seq"] for o in node.ledger.journal().origins.values())


def build(store: Store, facts: int, root: Path) -> dict[str, Any]:
    """Build, sync and time the whole network; keep the figures in ROOT."""
    tree = district_tree()
    builder = Builder(store, tree)
    recorded = builder.record_communities(facts)
    builder.enroll()
    streets = list(tree.streets.items())
    builder.hop("communities -> streets", streets, recorded)
    builder.hop("streets -> district", [(DISTRICT.value, list(tree.streets))], recorded)
    district = builder.open(DISTRICT.value)
    held = _held(district)
    district.ledger.close()
    figures = {
        "store": "postgres" if store.database_url else "sqlite",
        "streets": len(tree.streets),
        "communities": len(tree.communities),
        "community_facts": recorded,
        "district_holds": held,
        "seconds": builder.timings,
        "moved_per_second": recorded
        / (
            builder.timings["communities -> streets"]
            + builder.timings["streets -> district"]
        ),
    }
    (root / "district.json").write_text(json.dumps(figures, indent=1), "utf-8")
    return figures


def district_store(root: Path, kind: str) -> Store:
    """Where the benchmark district lives."""
    if kind == "postgres":
        return Store(root / "home", DATABASE_URL, namespace="bdistrict_")
    return Store(root / "home")


def main() -> None:
    """Build the district network (once) and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--root", type=Path)
    args = parser.parse_args()
    root = args.root or Path("bench/results") / f"district-{args.store}-{args.facts}"
    if (root / "district.json").exists():
        print(f"already built in {root}:")
        print((root / "district.json").read_text("utf-8"))
        return
    root.mkdir(parents=True, exist_ok=True)
    figures = build(district_store(root, args.store), args.facts, root)
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()


def measure_each_store(
    module: str, stores: str, facts: int, *extra: str
) -> list[dict[str, Any]]:
    """Build the district on each store if needed, then run ``module --one STORE``
    in a fresh process per store (so its peak memory is its own); their results."""
    results = []
    for kind in stores.split(","):
        build = ["-m", "bench.district", "--store", kind, "--facts", str(facts)]
        subprocess.run([sys.executable, *build], check=True, stdout=subprocess.DEVNULL)
        one = [
            sys.executable,
            "-m",
            module,
            "--one",
            kind,
            "--facts",
            str(facts),
            *extra,
        ]
        out = subprocess.run(one, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.splitlines()[-1]))
    return results


def machine_line() -> str:
    """The machine and the moment, for a benchmark's output, with how fast one core
    runs Python just then (a shared machine's speed moves by half between runs)."""
    return (
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"core check {core_check():.2f} s"
    )


def core_check(additions: int = 10_000_000) -> float:
    """Seconds one core takes for ``additions`` Python additions (best of three):
    a yardstick for the moment's machine speed beside a benchmark's own figures."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for i in range(additions):
            total += i
        best = min(best, time.perf_counter() - start)
    return best

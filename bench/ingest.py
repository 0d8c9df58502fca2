"""One ingest hop: a street stores a community's journal, beside the bare library.

    python -m bench.ingest [--stores sqlite,postgres] [--facts 10000] [--repeat 3]

A community station records ``--facts`` realistic facts; its feed is read once into
pages of 500 documents (what a pull or a push carries). Measured, best of ``--repeat``
runs on fresh stores, ledger and bare runs interleaved (best and median reported):
- ingest facts/s: the street's `NodeSync.ingest` of every page — documents checked
  field by field, hashes recomputed, chain, subtree, enrolment and checkpoint signatures
  verified, facts stored verbatim with their receipt, one transaction per page;
- bare 100-event saves/s: the same documents as events of one aggregate, 100 per
  `Application.save`, on the same kind of store.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.append import ACTOR, Bare, Entry, drop_bench_schemas, stores
from domain.codes import NodeCode
from infrastructure.keys import create_key
from service import node as service
from sync.runner import PAGE
from testdata.generator import Generator

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.node_sync import NodeSync
    from infrastructure.stores import Store

COMMUNITY = NodeCode("330211001001")
STREET = NodeCode("330211001")
Page = dict[str, Any]


def open_node(store: Store, node: NodeCode, name: str) -> NodeSync:
    """A node with its key pair and genesis fact."""
    public_key = create_key(store.key_path(node))
    opened = service.open_node(store, node, create=True)
    opened.ledger.open(name, public_key, "2015-01-01")
    return opened.sync


def community_pages(store: Store, count: int) -> tuple[list[Page], str]:
    """The feed pages of a community that recorded ``count`` facts; its public key."""
    community = open_node(store, COMMUNITY, "城东社区")
    items = Generator(COMMUNITY).years(1990, 2024, 30, [COMMUNITY])
    numbered = [(n, item) for n, item in zip(range(1, count + 1), items, strict=False)]
    community.ledger.record_many(numbered, actor=ACTOR)  # as its clerks would
    community.checkpoint()
    pages, after = [], 0
    while (page := community.feed(after, PAGE)).facts:
        pages.append({"facts": page.facts, "position": page.position})
        after = page.position
    key = community.ledger.journal().public_key
    community.ledger.close()
    assert key is not None
    return pages, key


def ledger_ingest(store: Store, pages: list[Page], key: str) -> float:
    street = open_node(store, STREET, "招宝山街道")
    street.enroll(COMMUNITY.value, key)
    count = sum(len(p["facts"]) for p in pages)
    start = time.perf_counter()
    for page in pages:
        street.ingest(
            COMMUNITY.value,
            page["facts"],
            transport="pull",
            feed_position=page["position"],
        )
    rate = count / (time.perf_counter() - start)
    assert street.ledger.journal().origins[COMMUNITY.value]["seq"] == count
    street.ledger.close()
    return rate


def bare_saves(env: dict[str, str], pages: list[Page]) -> float:
    documents = [doc for page in pages for doc in page["facts"]]
    app = Bare(env=env)
    entry = Entry()
    app.save(entry)
    start = time.perf_counter()
    for first in range(0, len(documents), 100):
        for document in documents[first : first + 100]:
            entry.record(document)
        app.save(entry)
    rate = len(documents) / (time.perf_counter() - start)
    app.close()
    return rate


def run(kind: str, count: int, repeat: int) -> dict[str, Any]:
    """Every round's rates on one kind of store; best and median of each."""
    rounds: dict[str, list[float]] = {"bare_batch100": [], "ledger_ingest": []}
    with tempfile.TemporaryDirectory() as tmp:
        source, _ = stores("sqlite", Path(tmp))
        pages, key = community_pages(source, count)
        measures: list[tuple[str, Callable[[Store, dict[str, str]], float]]] = [
            ("bare_batch100", lambda s, e: bare_saves(e, pages)),
            ("ledger_ingest", lambda s, e: ledger_ingest(s, pages, key)),
        ]
        for _ in range(repeat):
            for name, work in measures:
                store, env = stores(kind, Path(tmp))
                rounds[name].append(work(store, env))
        if kind == "postgres":
            drop_bench_schemas()
    facts = sum(len(p["facts"]) for p in pages)
    best = {name: max(rates) for name, rates in rounds.items()}
    median = {name: statistics.median(rates) for name, rates in rounds.items()}
    return {
        "store": kind,
        "facts": facts,
        "pages": len(pages),
        "best": best,
        "median": median,
        "rounds": rounds,
        "ratio_best": best["ledger_ingest"] / best["bare_batch100"],
        "ratio_median": median["ledger_ingest"] / median["bare_batch100"],
    }


def main() -> None:
    """Run the benchmark and print a Markdown table and a JSON record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--facts", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = [run(kind, args.facts, args.repeat) for kind in args.stores.split(",")]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(
        "| store | facts (pages) | ledger ingest /s best (median) | "
        "bare 100-event saves /s best (median) | ratio best (median) |"
    )
    print("|---|---|---|---|---|")
    for r in results:
        best, median = r["best"], r["median"]
        print(
            f"| {r['store']} | {r['facts']:,} ({r['pages']}) | "
            f"{best['ledger_ingest']:,.0f} ({median['ledger_ingest']:,.0f}) | "
            f"{best['bare_batch100']:,.0f} ({median['bare_batch100']:,.0f}) | "
            f"{r['ratio_best']:.2f}× ({r['ratio_median']:.2f}×) |"
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()

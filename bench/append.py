"""Append benchmark: the ledger beside the bare eventsourcing library, same run.

    python -m bench.append [--stores sqlite,postgres] [--single 1000] [--batch 10000]

Measures (best of --repeat runs, each on fresh stores):
- single-fact appends/s: `Ledger.record` per fact vs bare `Application.save` of one;
- import facts/s: `Ledger.record_many` of a whole file vs bare saves of 100 events each.
The bare side saves the same payloads (the facts' input data) on the same kind of store.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate

from bench.generate import street_facts
from domain.codes import NodeCode
from infrastructure.stores import Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.receipts import Item as LedgerItem

STREET = NodeCode("330211001")
DATABASE_URL = os.environ.get(
    "TIERLEDGER_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
Item = tuple[str, dict[str, Any]]
ACTOR = "cli:bench"
"""Who records, as every surface names one (decision 0035)."""


class Entry(Aggregate):
    """The bare library's aggregate: one event type carrying the same payload."""

    class Recorded(Aggregate.Event):
        payload: dict[str, Any]

    def record(self, payload: dict[str, Any]) -> None:
        self.trigger_event(self.Recorded, payload=payload)


class Bare(Application[uuid.UUID]):
    """The bare library's application."""


def stores(kind: str, root: Path) -> tuple[Store, dict[str, str]]:
    """A ledger store and the bare app's environment on the same kind of store."""
    tag = uuid.uuid4().hex[:8]
    if kind == "sqlite":
        bare_env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(root / f"bare-{tag}.sqlite"),
        }
        return Store(root / f"home-{tag}"), bare_env
    schema = f"bench_{tag}_bare"
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    store = Store(root / f"home-{tag}", DATABASE_URL, namespace=f"bench_{tag}_")
    bare_env = store.ledger_env(STREET) | {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",  # the bare library, as shipped
        "POSTGRES_SCHEMA": schema,
    }
    return store, bare_env


def drop_bench_schemas() -> None:
    """Remove every schema the benchmark made."""
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT schema_name FROM information_schema.schemata "
            "WHERE schema_name LIKE 'bench\\_%'"
        ).fetchall()
        for (schema,) in rows:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def timed(work: Callable[[], int]) -> float:
    """Items per second of one call of ``work`` (which returns its item count)."""
    start = time.perf_counter()
    count = work()
    return count / (time.perf_counter() - start)


def ledger_single(store: Store, items: list[Item]) -> float:
    ledger = store.open_ledger(STREET, create=True)
    ledger.open("招宝山街道", None, "2015-01-01")

    def work() -> int:
        for fact_type, data in items:
            ledger.record(fact_type, data, actor=ACTOR)
        return len(items)

    try:
        return timed(work)
    finally:
        ledger.close()


def ledger_import(store: Store, items: list[Item]) -> float:
    ledger = store.open_ledger(STREET, create=True)
    ledger.open("招宝山街道", None, "2015-01-01")
    numbered: list[LedgerItem] = list(enumerate(items, start=1))
    try:
        return timed(lambda: len(ledger.record_many(numbered, actor=ACTOR)[0]))
    finally:
        ledger.close()


def bare_saves(env: dict[str, str], items: list[Item], per_save: int) -> float:
    app = Bare(env=env)
    entry = Entry()
    app.save(entry)

    def work() -> int:
        for start in range(0, len(items), per_save):
            for _, data in items[start : start + per_save]:
                entry.record(data)
            app.save(entry)
        return len(items)

    try:
        return timed(work)
    finally:
        app.close()


def run(
    kind: str, single: list[Item], batch: list[Item], repeat: int
) -> dict[str, Any]:
    """Best-of-``repeat`` rates on one kind of store; ledger and bare interleaved."""
    best: dict[str, float] = {}
    measures: list[tuple[str, Callable[[Store, dict[str, str]], float]]] = [
        ("bare_single", lambda s, e: bare_saves(e, single, 1)),
        ("ledger_single", lambda s, e: ledger_single(s, single)),
        ("bare_batch100", lambda s, e: bare_saves(e, batch, 100)),
        ("ledger_import", lambda s, e: ledger_import(s, batch)),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            for name, work in measures:
                store, env = stores(kind, Path(tmp))
                best[name] = max(best.get(name, 0.0), work(store, env))
        if kind == "postgres":
            drop_bench_schemas()
    return {
        "store": kind,
        "single_facts": len(single),
        "import_facts": len(batch),
        **best,
        "single_ratio": best["ledger_single"] / best["bare_single"],
        "import_ratio": best["ledger_import"] / best["bare_batch100"],
    }


def main() -> None:
    """Run the benchmark and print a Markdown table and a JSON record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--single", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    facts = list(street_facts(STREET, 1990, 2024, 40))
    single, batch = facts[: args.single], facts[: args.batch]
    results = [run(kind, single, batch, args.repeat) for kind in args.stores.split(",")]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(
        "| store | ledger single /s | bare single /s | ratio | ledger import /s "
        "| bare 100-event saves /s | ratio |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['store']} | {r['ledger_single']:,.0f} | {r['bare_single']:,.0f} | "
            f"{r['single_ratio']:.2f}× | {r['ledger_import']:,.0f} | "
            f"{r['bare_batch100']:,.0f} | {r['import_ratio']:.2f}× |"
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()

"""Rebuilding the district's views from a million facts, and roll-ups at past points.

    python -m bench.views [--stores sqlite,postgres] [--points 31] [--repeat 3]
                          [--facts 1000000]

Uses the district that ``bench.district`` builds (and builds it first if missing).
Measured on the district node, in a fresh process per store so peak memory is the
rebuild's own:
- rebuild facts/s: ``NodeViews.rebuild`` over the district's whole notification log,
  ``--repeat`` times, each after the bare library reading the same log with
  ``select_notifications`` (pages of 1 000) in the same process — best and median of
  each, as the other benchmarks give them; on PostgreSQL the log is analysed first,
  as autovacuum would have done on a production server (it is off on the benchmark
  machine);
- peak memory (max RSS) of that process;
- latency of an as-of roll-up at random past points: business dates, knowledge
  instants, and both (median and 90th percentile); and of the roll-up as of now.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg.sql import SQL, Identifier

from bench.append import DATABASE_URL
from bench.district import (
    DISTRICT,
    district_store,
    machine_line,
    measure_each_store,
)
from service.node import open_views

if TYPE_CHECKING:
    from infrastructure.stores import Store

PAGE = 1000


def bare_read(ledger: Any) -> float:
    """Notifications/s of the bare library reading the whole log."""
    start, count, after = time.perf_counter(), 0, 0
    while notes := ledger.recorder.select_notifications(
        start=after, limit=PAGE, inclusive_of_start=False
    ):
        count, after = count + len(notes), notes[-1].id
    return count / (time.perf_counter() - start)


def analyse_log(store: Store) -> None:
    """ANALYZE the district's events table, as autovacuum does on a live server."""
    table = Identifier(store.schema(DISTRICT), "ledger_events")
    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute(SQL("ANALYZE {}").format(table))


def points(views: Any, rng: random.Random, count: int) -> dict[str, list[float]]:
    """Seconds per as-of roll-up at random past dates, instants, and both; and of
    the roll-up as of now (today's date, everything known: every organization and
    evaluation in force — the heaviest question, and the commonest)."""
    arrivals = views.view.fetch("SELECT MIN(at), MAX(at) FROM {view_arrivals}", {})
    first, last = (datetime.fromisoformat(t) for t in arrivals[0])
    found: dict[str, list[float]] = {"date": [], "instant": [], "both": [], "now": []}
    for _ in range(count):
        year, month = rng.randint(1995, 2022), rng.randint(1, 12)
        day = f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        instant = (first + (last - first) * rng.random()).isoformat()
        for kind, point in (
            ("date", {"as_of": day}),
            ("instant", {"known_at": instant}),
            ("both", {"as_of": day, "known_at": instant}),
            ("now", {}),
        ):
            start = time.perf_counter()
            views.rollup(views.point(**point))
            found[kind].append(time.perf_counter() - start)
    return found


def rebuilds(
    ledger: Any, views: Any, repeat: int
) -> tuple[int, list[float], list[float]]:
    """Positions rebuilt, and per round the rebuild's seconds and the bare read's
    notifications/s just before it (interleaved, so both see the same machine)."""
    seconds, bare, positions = [], [], 0
    for _ in range(repeat):
        bare.append(bare_read(ledger))
        start = time.perf_counter()
        positions = views.rebuild_unverified()
        seconds.append(time.perf_counter() - start)
    return positions, seconds, bare


def measure(kind: str, facts: int, count: int, repeat: int) -> dict[str, Any]:
    """One store's figures (run in a process of its own)."""
    root = Path("bench/results") / f"district-{kind}-{facts}"
    store = district_store(root, kind)
    if kind == "postgres":
        analyse_log(store)
    ledger = store.open_ledger(DISTRICT)
    views = open_views(store, ledger)
    positions, seconds, bare = rebuilds(ledger, views, repeat)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    latency = points(views, random.Random(2024), count)
    views.close()
    ledger.close()
    best, median = min(seconds), statistics.median(seconds)
    return {
        "store": kind,
        "facts": positions,
        "rebuild_seconds": best,
        "rebuild_per_second": positions / best,
        "rebuild_median_per_second": positions / median,
        "bare_read_per_second": max(bare),
        "ratio": positions / best / max(bare),
        "rounds": [
            {"rebuild_per_second": positions / s, "bare_read_per_second": b}
            for s, b in zip(seconds, bare, strict=True)
        ],
        "peak_mb": peak_mb,
        **{f"{k}_median": statistics.median(v) for k, v in latency.items()},
        **{f"{k}_p90": sorted(v)[int(len(v) * 0.9)] for k, v in latency.items()},
    }


def main() -> None:
    """Build the district if needed; measure each store in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--points", type=int, default=31)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.facts, args.points, args.repeat)))
        return
    results = measure_each_store(
        "bench.views",
        args.stores,
        args.facts,
        *("--points", str(args.points), "--repeat", str(args.repeat)),
    )
    print(machine_line())
    print("| store | facts | rebuild best s | rebuild best / median /s |"
          " bare read best /s | ratio | peak MB | as-of date p50/p90 |"
          " as-of instant p50/p90 | both p50/p90 | now p50/p90 |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['store']} | {r['facts']:,} | {r['rebuild_seconds']:.1f} | "
            f"{r['rebuild_per_second']:,.0f} / "
            f"{r['rebuild_median_per_second']:,.0f} | "
            f"{r['bare_read_per_second']:,.0f} | "
            f"{r['ratio']:.2f}× | {r['peak_mb']:.0f} | "
            + " | ".join(
                f"{r[f'{k}_median']:.2f} / {r[f'{k}_p90']:.2f} s"
                for k in ("date", "instant", "both", "now")
            )
            + " |"
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()

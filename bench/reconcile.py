"""Reconciling the million-fact district: rules R1–R9 over everything it holds.

    python -m bench.reconcile [--stores sqlite,postgres] [--facts 1000000] [--repeat 3]

Uses the district that ``bench.district`` builds (and builds it first if missing). The
district adopts the shipped 招宝山 example policy (renamed to the generator's program,
in force since 1990) once, so the money rules (bands, caps, splits) judge every
decision. Measured in a fresh process per store, after the views have caught up:
- seconds of ``NodeViews.reconcile`` at today's point (best and median of
  ``--repeat``), and how many discrepancies it found per rule;
- beside it, in the same process, the bare library reading the district's whole
  notification log (``select_notifications``, pages of 1 000): the floor any
  replay-based reconciliation would stand on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.district import (
    DISTRICT,
    district_store,
    machine_line,
    measure_each_store,
)
from bench.views import bare_read
from service.node import open_views
from testdata import seed
from testdata.generator import PROGRAM


def adopt_policy(views: Any) -> None:
    """The district's policy: the example's bands for the generator's program."""
    if views.view.fetch("SELECT COUNT(*) FROM {view_policies}", {})[0][0]:
        return
    policy = seed.policy()
    policy["effective_on"] = "1990-01-01"
    policy["programs"][0]["program"] = PROGRAM
    views.ledger.record("PolicyAdopted", policy)


def measure(kind: str, facts: int, repeat: int) -> dict[str, Any]:
    """One store's figures (run in a process of its own)."""
    store = district_store(Path("bench/results") / f"district-{kind}-{facts}", kind)
    ledger = store.open_ledger(DISTRICT)
    views = open_views(store, ledger)
    adopt_policy(views)
    views.catch_up()
    held = views.view.position()
    read_seconds = held / bare_read(ledger)
    seconds: list[float] = []
    counts: dict[str, int] = {}
    pending = 0
    for _ in range(repeat):
        start = time.perf_counter()
        found = views.reconcile(views.point())
        seconds.append(time.perf_counter() - start)
        counts, pending = found.counts, found.pending
    views.close()
    ledger.close()
    return {
        "store": kind,
        "facts": held,
        "best_seconds": min(seconds),
        "median_seconds": statistics.median(seconds),
        "bare_read_seconds": read_seconds,
        "counts": {rule: n for rule, n in counts.items() if n},
        "pending": pending,
    }


def main() -> None:
    """Build the district if needed; measure each store in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.facts, args.repeat)))
        return
    results = measure_each_store(
        "bench.reconcile", args.stores, args.facts, "--repeat", str(args.repeat)
    )
    print(machine_line())
    print("| store | facts | reconcile best / median s | bare log read s | found |")
    print("|---|---|---|---|---|")
    for r in results:
        found = ", ".join(f"{rule} {n:,}" for rule, n in r["counts"].items()) or "none"
        print(
            f"| {r['store']} | {r['facts']:,} | {r['best_seconds']:.2f} / "
            f"{r['median_seconds']:.2f} | {r['bare_read_seconds']:.2f} | {found} |"
        )
    print(json.dumps(results))


if __name__ == "__main__":
    main()

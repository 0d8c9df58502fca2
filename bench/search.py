"""Searching the million-fact district: each query beside a bare LIKE scan.

    python -m bench.search [--stores sqlite,postgres] [--facts 1000000] [--repeat 7]

Uses the district that ``bench.district`` builds (and builds it first if missing). Its
communities file grassroots organizations only, so the district registers the 333
legal-person organizations 镇海区 has (DOMAIN.md §1) once, USCCs to look for. Then, in
a fresh process per store, once the views have caught up (on PostgreSQL, analysed as
autovacuum would have), each query runs ``--repeat`` times as ``GET /organizations``
and ``tierledger find`` run it — the point (a catch-up check and the chain status),
the filters parsed, the first page of 100 by name with its total — and right after
each run, the bare scan: one ``LIKE`` over the identity table's names, filing numbers
and USCCs through the same connection pool, rows fetched (the in-process path
without narrowing, merging or paging). Median and best of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.district import DISTRICT, district_store, machine_line, measure_each_store
from projections.search import like_pattern
from service.node import Node, open_node
from testdata.generator import Generator

REGISTERED = 333
BARE = (
    "SELECT org_id, name, filing_number, uscc FROM {view_identities} "
    "WHERE name LIKE :p ESCAPE '\\' OR filing_number LIKE :p ESCAPE '\\' "
    "OR uscc LIKE :p ESCAPE '\\'"
)


def register(node: Node) -> None:
    """The district's own legal-person organizations, once (a USCC to find)."""
    view = node.views.view
    if view.fetch("SELECT 1 FROM {view_identities} WHERE uscc IS NOT NULL", {}):
        return
    maker = Generator(DISTRICT, seed=333)
    items = (
        (n, maker.registration(date(1998 + n % 25, 1 + n % 12, 1 + n % 28)))
        for n in range(1, REGISTERED + 1)
    )
    node.record_many(items, actor="bench:search")


def queries(node: Node) -> list[tuple[str, str | None, dict[str, str]]]:
    """(label, search text, filters) of every query, taken from what is held."""
    view = node.views.view
    name, number = view.fetch(
        "SELECT name, filing_number FROM {view_identities} "
        "WHERE type = 'OrganizationFiled' ORDER BY id LIMIT 1 OFFSET 20000",
        {},
    )[0]
    uscc = view.fetch(
        "SELECT uscc FROM {view_identities} WHERE uscc IS NOT NULL "
        "ORDER BY id LIMIT 1 OFFSET 100",
        {},
    )[0][0]
    street, community = "330211001", "330211001001"
    return [
        ("1 character", "队", {}),
        ("2 characters", "书画", {}),
        ("3 characters", "舞蹈队", {}),
        ("part of a name", name[2:], {}),
        ("a whole name", name, {}),
        ("a filing number", number, {}),
        ("a filing number's year", number[:7], {}),
        ("a USCC's first 12", uscc[:12], {}),
        ("a whole USCC, lower case", uscc.lower(), {}),
        ("2 characters, a street", "书画", {"street": street}),
        ("3 characters, a community", "舞蹈队", {"community": community}),
        ("3 characters, a grade", "舞蹈队", {"grade": "一类"}),
        ("2 characters, a period", "书画", {"period": "2020"}),
        ("2 characters, category + status", "互助", {"category": "生活服务",
                                                     "status": "filed"}),
        ("3 characters, as of 2005", "舞蹈队", {"as_of": "2005-12-31"}),
        ("no text, a street", None, {"street": street}),
    ]  # fmt: skip


def run(node: Node, text: str | None, given: dict[str, str]) -> tuple[float, int]:
    """Seconds of one search as the API and the CLI run it; its total."""
    filters = {k: v for k, v in given.items() if k != "as_of"}
    start = time.perf_counter()
    only = node.registry_filter(text=text, **filters)
    point = node.point(given.get("as_of"))
    page = node.registry_page(point, only, 0, 100)
    return time.perf_counter() - start, page.total


def bare(node: Node, text: str) -> float:
    """Seconds of the bare LIKE scan for ``text``, its rows fetched."""
    start = time.perf_counter()
    node.views.view.fetch(BARE, {"p": like_pattern(text)})
    return time.perf_counter() - start


def measure(kind: str, facts: int, repeat: int) -> dict[str, Any]:
    """One store's figures (run in a process of its own)."""
    store = district_store(Path("bench/results") / f"district-{kind}-{facts}", kind)
    node = open_node(store, DISTRICT)
    register(node)
    node.views.catch_up()
    if kind == "postgres":
        node.views.view.after_rebuild()  # VACUUM (ANALYZE), as autovacuum would
    found: list[dict[str, Any]] = []
    for label, text, given in queries(node):
        runs, scans, total = [], [], 0
        for _ in range(repeat):
            seconds, total = run(node, text, given)
            runs.append(seconds * 1000)
            if text is not None:
                scans.append(bare(node, text) * 1000)
        found.append(
            {
                "query": label, "text": text, "filters": given, "total": total,
                "median_ms": statistics.median(runs), "best_ms": min(runs),
                "bare_median_ms": statistics.median(scans) if scans else None,
                "bare_best_ms": min(scans) if scans else None,
            }
        )  # fmt: skip
    held = node.views.view.position()
    node.close()
    medians = [q["median_ms"] for q in found]
    return {
        "store": kind,
        "held": held,
        "queries": found,
        "median_of_medians_ms": statistics.median(medians),
        "within_50_ms": sum(m <= 50 for m in medians),
    }


def report(results: list[dict[str, Any]]) -> None:
    """A Markdown table per store."""
    for r in results:
        print(
            f"\n{r['store']}: {r['held']:,} positions; median of the medians "
            f"{r['median_of_medians_ms']:.1f} ms; {r['within_50_ms']} of "
            f"{len(r['queries'])} queries' medians within 50 ms\n"
        )
        print(
            "| query | text | found | median / best ms | bare LIKE median / best ms |"
        )
        print("|---|---|---|---|---|")
        for q in r["queries"]:
            scan = (
                f"{q['bare_median_ms']:.1f} / {q['bare_best_ms']:.1f}"
                if q["bare_median_ms"] is not None
                else "—"
            )
            shown = q["text"] if q["text"] is not None else "—"
            print(
                f"| {q['query']} | {shown} | {q['total']:,} | "
                f"{q['median_ms']:.1f} / {q['best_ms']:.1f} | {scan} |"
            )


def main() -> None:
    """Build the district if needed; measure each store in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.facts, args.repeat)))
        return
    results = measure_each_store(
        "bench.search", args.stores, args.facts, "--repeat", str(args.repeat)
    )
    print(machine_line())
    report(results)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()

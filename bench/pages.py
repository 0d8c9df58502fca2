"""The web pages on the million-fact district: server time per page, beside the
bare node calls the same page makes.

    python -m bench.pages [--repeat 3] [--requests 20] [--root DIR]

The district node of ``bench.district`` (views built by ``bench.views``) is served in
process (ASGI, no network: the time is the server's). Each run asks every page
``--requests`` times — the registry searched by a Chinese substring with a facet, an
organization's page, the dashboard — and, in the same run, makes the node calls each
page rests on (``registry_page``; ``organization`` and ``audit_timeline``; the
roll-up and the year's upgrades). The dashboard is timed cold (its roll-up computed
anew, as after a new fact) and asked again at the same position (the roll-up kept).
Figures: per page the best and the median over runs of each run's median.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi.testclient import TestClient

from api.main import create_app
from bench.district import DISTRICT, district_store
from infrastructure.tokens import TokenStore

if TYPE_CHECKING:
    from collections.abc import Callable

STREET = "330211001"


def timed(call: Callable[[], object], count: int) -> float:
    """The median seconds of ``count`` calls."""
    found = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        found.append(time.perf_counter() - start)
    return statistics.median(found)


def one_run(
    client: TestClient, headers: dict[str, str], orgs: list[str], count: int
) -> dict[str, float]:
    """Each page's and each bare call's median seconds, once."""
    node = client.app.state.node  # type: ignore[attr-defined]
    rng = random.Random(len(orgs))

    def get(path: str) -> None:
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.status_code)

    def organization() -> None:
        get(f"/web/registry/{rng.choice(orgs)}")

    def bare_organization() -> None:
        point, org = node.point(), rng.choice(orgs)
        node.organization(org, point)
        node.audit_timeline(org, point)

    def bare_registry() -> None:
        only = node.registry_filter(text="队", street=STREET)
        node.registry_page(node.point(), only, 0, 50)

    def cold_dashboard() -> None:
        node.views.rollups.clear()  # as after a new fact: the roll-up computed anew
        get("/web/overview")

    def bare_dashboard() -> None:
        node.views.rollups.clear()
        point = node.point()
        node.rollup(point)
        node.upgrades_since(point, f"{point.as_of[:4]}-01-01")

    return {
        "registry": timed(lambda: get(f"/web/registry?q=队&street={STREET}"), count),
        "registry bare": timed(bare_registry, count),
        "organization": timed(organization, count),
        "organization bare": timed(bare_organization, count),
        "dashboard": timed(cold_dashboard, count),
        "dashboard bare": timed(bare_dashboard, count),
        "dashboard asked again": timed(lambda: get("/web/overview"), count),
    }


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument(
        "--root", type=Path, default=Path("bench/results/district-sqlite-1000000")
    )
    args = parser.parse_args()
    store = district_store(args.root, "sqlite")
    token = TokenStore(store.node_dir(DISTRICT) / "tokens.json").create("auditor")
    headers = {"Authorization": f"Bearer {token}"}
    runs: list[dict[str, float]] = []
    with TestClient(create_app(DISTRICT, store)) as client:
        node = client.app.state.node  # type: ignore[attr-defined]
        orgs = [
            o.org_id
            for o in node.registry_page(
                node.point(), node.registry_filter(), 0, 2000
            ).items
        ]
        for _ in range(args.repeat):
            runs.append(one_run(client, headers, orgs, args.requests))
    print(
        f"{datetime.now(UTC):%Y-%m-%d}, {platform.node()}, {platform.python_version()}"
    )
    print("| page | best ms | median ms |")
    print("|---|---:|---:|")
    for name in runs[0]:
        values = [run[name] * 1000 for run in runs]
        print(f"| {name} | {min(values):.0f} | {statistics.median(values):.0f} |")
    print(json.dumps(runs))


if __name__ == "__main__":
    main()

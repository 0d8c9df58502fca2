"""``POST /facts`` under load, beside in-process appends, on SQLite and PostgreSQL.

    python -m bench.api [--stores sqlite,postgres] [--requests 2000] [--clients 1,4,16]

For each store: a fresh community node served by ``tierledger serve`` in its own
process (uvicorn, one worker), its clerk token, and ``--clients`` concurrent clients
(one keep-alive connection each, all on one asyncio loop: ``bench/load.py``) posting
distinct filings — the same JSON a clerk's form sends — until ``--requests`` are
recorded; throughput, p50/p99 latency and the server's CPU time per request (robust
to whatever else the shared cores run) per level. In the same run: the ceiling, the
same server answering ``POST /facts/check``
(the same request authenticated and parsed, nothing recorded), and on another fresh
node of the same store ``Ledger.record`` of as many filings in process, one at a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.append import DATABASE_URL
from bench.load import request_bytes, send_all
from domain.codes import NodeCode
from infrastructure.stores import Store

CODE = "330211001001"


def filing(n: int, run: str) -> dict[str, Any]:
    """A distinct, valid filing."""
    return {
        "filing_number": f"备{run}-{n:06d}",
        "name": f"城东社区文体队{n}",
        "category": "文体活动",
        "community": CODE,
        "member_count": 12,
        "effective_on": "2024-03-01",
    }


class Served:
    """A fresh node of one store, served by ``tierledger serve`` in a process."""

    def __init__(self, kind: str, root: Path) -> None:
        namespace = f"bapi{uuid.uuid4().hex[:8]}_"
        self.store = Store(
            root, DATABASE_URL if kind == "postgres" else None, namespace
        )
        self.env = os.environ | {
            "TIERLEDGER_HOME": str(root),
            "TIERLEDGER_DATABASE_URL": self.store.database_url or "",
            "TIERLEDGER_NAMESPACE": namespace,
        }
        self._cli("init", CODE)
        self.token = self._cli("token", "create", CODE, "--role", "clerk").strip()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", CODE, "--port", str(self.port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(300):
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the node did not start serving")

    def _cli(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "cli", *args],
            env=self.env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout

    def cpu_seconds(self) -> float:
        """CPU time the server process has used so far (Linux: /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)
        utime, stime = fields[1].split()[11:13]
        return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        """Stop the server and drop the node's store."""
        self.process.terminate()
        self.process.wait(timeout=20)
        self.store.drop(NodeCode(CODE))


def post_load(
    served: Served, clients: int, requests: int, path: str = "/facts"
) -> dict[str, float]:
    """``requests`` filings from ``clients`` concurrent clients: /s, p50, p99 (ms).
    ``/facts/check`` is the ceiling: the same request, authenticated and parsed,
    answered without recording."""
    run = uuid.uuid4().hex[:6]
    host = f"127.0.0.1:{served.port}"
    wire = [
        request_bytes(
            host,
            path,
            served.token,
            {"type": "OrganizationFiled", "data": filing(n, run)},
        )
        for n in range(requests)
    ]
    cpu = served.cpu_seconds()
    answers, wall = send_all("127.0.0.1", served.port, wire, clients)
    cpu = served.cpu_seconds() - cpu
    refused = [a for a in answers if a.status not in (200, 201)]
    if refused or len(answers) != requests:
        raise RuntimeError(refused[0].body if refused else "answers went missing")
    latencies = sorted(a.seconds for a in answers)
    return {
        "per_second": requests / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        # What the server spent, whatever else the shared cores ran meanwhile.
        "server_cpu_us": cpu / requests * 1e6,
    }


def in_process(kind: str, root: Path, requests: int) -> float:
    """Filings/s through ``Ledger.record`` on a fresh node of the same store."""
    namespace = f"bapi{uuid.uuid4().hex[:8]}_"
    store = Store(root, DATABASE_URL if kind == "postgres" else None, namespace)
    ledger = store.open_ledger(NodeCode(CODE), create=True)
    try:
        ledger.open("城东社区", None, "2021-01-04")
        start = time.perf_counter()
        for n in range(requests):
            ledger.record("OrganizationFiled", filing(n, "in"))
        return requests / (time.perf_counter() - start)
    finally:
        ledger.close()
        store.drop(NodeCode(CODE))


def measure(kind: str, requests: int, levels: list[int]) -> dict[str, Any]:
    """One store's figures."""
    root = Path(tempfile.mkdtemp(prefix=f"bench-api-{kind}-"))
    try:
        local = in_process(kind, root / "in", requests)
        served = Served(kind, root / "served")
        try:
            post_load(served, 4, 100)  # warm the server
            found = {c: post_load(served, c, requests) for c in levels}
            ceiling = {
                c: post_load(served, c, requests, "/facts/check") for c in levels
            }
        finally:
            served.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {
        "store": kind,
        "in_process_per_second": local,
        "levels": found,
        "ceiling": ceiling,
    }


def main() -> None:
    """Measure each store; print a markdown table and the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", default="1,4,16")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    results = [measure(kind, args.requests, levels) for kind in args.stores.split(",")]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(
        "| store | clients | POST /facts /s | p50 ms | p99 ms | ceiling /s "
        "| × ceiling | in-process /s | × in-process | server CPU µs "
        "(ceiling) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        for clients, f in r["levels"].items():
            top = r["ceiling"][clients]["per_second"]
            print(
                f"| {r['store']} | {clients} | {f['per_second']:,.0f} | "
                f"{f['p50_ms']:.1f} | {f['p99_ms']:.1f} | {top:,.0f} | "
                f"{f['per_second'] / top:.2f}× | "
                f"{r['in_process_per_second']:,.0f} | "
                f"{f['per_second'] / r['in_process_per_second']:.2f}× | "
                f"{f['server_cpu_us']:.0f} "
                f"({r['ceiling'][clients]['server_cpu_us']:.0f}) |"
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()

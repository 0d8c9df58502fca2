"""Exporting the million-fact district's registry for Excel, beside the bare read.

    python -m bench.export [--repeat 3] [--root bench/results/district-sqlite-1000000]

Each run is a fresh child process on the district built by ``bench.district`` (its
views built by ``bench.views``): it opens the district node and either writes the
registry export (XLSX, or CSV) to a temporary file, or only reads the registry the
export starts from (the bare read, the same run's yardstick). Wall time from opening
the node to the file closed, and peak resident memory (ru_maxrss). Runs alternate.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.district import DISTRICT, district_store

KINDS = ("xlsx", "csv", "bare")


def one(root: Path, kind: str) -> dict[str, float]:
    """One run in this process: seconds and peak MB."""
    from service.exports import build_export
    from service.node import open_node

    start = time.perf_counter()
    with open_node(district_store(root, "sqlite"), DISTRICT) as node:
        point = node.point()
        if kind == "bare":
            rows = len(node.registry(point))
        else:
            built = build_export(node, "registry", kind, point)
            with tempfile.TemporaryFile() as out:
                built.write(out)
                rows = out.tell()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "size": rows}


def measure(root: Path, repeat: int) -> dict[str, list[dict[str, float]]]:
    """Every kind ``repeat`` times, alternating, each in a fresh process."""
    found: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    for _ in range(repeat):
        for kind in KINDS:
            command = [sys.executable, "-m", "bench.export", "--one", kind,
                       "--root", str(root)]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            found[kind].append(json.loads(done.stdout))
    return found


def summary(found: dict[str, list[dict[str, float]]]) -> list[str]:
    """Markdown rows: best and median seconds and MB, ratio to the bare read."""
    bare = min(r["seconds"] for r in found["bare"])
    lines = ["| export | best s | median s | best / bare read | peak MB best, median |",
             "|---|---:|---:|---:|---:|"]  # fmt: skip
    for kind, runs in found.items():
        seconds = [r["seconds"] for r in runs]
        peaks = [r["peak_mb"] for r in runs]
        best, median = min(seconds), statistics.median(seconds)
        lines.append(
            f"| {kind} | {best:.1f} | {median:.1f} | {best / bare:.1f}× | "
            f"{min(peaks):.0f}, {statistics.median(peaks):.0f} |"
        )
    return lines


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--root", type=Path, default=Path("bench/results/district-sqlite-1000000")
    )
    parser.add_argument("--one", choices=KINDS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.root, args.one)))
        return
    found = measure(args.root, args.repeat)
    print(f"{datetime.now(UTC):%Y-%m-%d}, {platform.node()}, {platform.processor()}")
    print("\n".join(summary(found)))
    print(json.dumps(found))


if __name__ == "__main__":
    main()

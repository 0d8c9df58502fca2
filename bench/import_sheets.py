"""Spreadsheet import beside JSONL import of the same facts, same run.

    python -m bench.import_sheets [--rows 10000] [--repeat 3] [--stores sqlite,postgres]

Writes one register of ``--rows`` filings of 招宝山街道 as an XLSX workbook the way a
street centre keeps it (a merged title, a 填报单位 line, headers, Excel date cells,
communities by name, a 合计 row), the same register as Excel saves it as CSV (UTF-8
with BOM, headers only), and the same facts as JSONL (communities by code).
Each import runs in a fresh child process on a fresh store and measures, from reading
the file to the committed transaction, its time and its peak resident memory
(ru_maxrss) above what the process held before. Imports alternate XLSX / CSV / JSONL.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell

from domain.codes import NodeCode, known_divisions
from testdata.generator import Generator, community_codes

STREET = NodeCode("330211001")
HEADERS = ["序号", "组织名称", "备案编号", "组织类别", "所属社区", "负责人", "联系电话",
           "成员人数", "活动场所", "活动资金（元）", "资金来源", "业务指导单位",
           "备案日期"]  # fmt: skip
DATABASE_URL = os.environ.get(
    "TIERLEDGER_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def filings(count: int) -> list[dict[str, Any]]:
    """``count`` filings in 招宝山街道's communities, 2015–2024."""
    generator = Generator(STREET)
    communities = community_codes(STREET.value)
    found = []
    for n in range(count):
        day = date(2015, 1, 5) + timedelta(days=n * 3650 // count)
        _, (_, data) = generator.filing(communities[n % len(communities)], day)
        found.append(data)
    return found


def write_register(path: Path, rows: list[dict[str, Any]]) -> None:
    """The filings as a street centre's XLSX register."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("备案台账")
    sheet.append(["招宝山街道社区社会组织备案台账"])
    sheet.append(["填报单位：招宝山街道社会组织服务中心"])
    sheet.append(HEADERS)
    for n, data in enumerate(rows, start=1):
        person = data["responsible_person"]
        day = WriteOnlyCell(sheet, datetime.fromisoformat(data["effective_on"]))
        day.number_format = "yyyy/m/d"
        sheet.append([
            n, data["name"], data["filing_number"], data["category"],
            known_divisions()[data["community"]].name, person["name"],
            person["phone"], data["member_count"], data["venue"], int(data["funds"]),
            data["funds_source"], data["guiding_unit"], day,
        ])  # fmt: skip
    sheet.append(["合计", None, None, None, None, None, None,
                  sum(r["member_count"] for r in rows)])  # fmt: skip
    book.save(path)


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    """The same register as Excel saves it as CSV (UTF-8 with BOM, dates as shown)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        sheet = csv.writer(out)
        sheet.writerow(HEADERS)
        for n, data in enumerate(rows, start=1):
            person, day = (
                data["responsible_person"],
                date.fromisoformat(data["effective_on"]),
            )
            sheet.writerow([
                n, data["name"], data["filing_number"], data["category"],
                known_divisions()[data["community"]].name, person["name"],
                person["phone"], data["member_count"], data["venue"],
                int(data["funds"]), data["funds_source"], data["guiding_unit"],
                f"{day.year}/{day.month}/{day.day}",
            ])  # fmt: skip


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """The same filings as JSON lines."""
    with path.open("w", encoding="utf-8") as out:
        for data in rows:
            line = {"type": "OrganizationFiled", "data": data}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


def child(
    kind: str, path: Path, home: Path, database_url: str | None, namespace: str
) -> None:
    """Import one file into a fresh node; print seconds, facts and memory as JSON.

    ``load`` instead opens the node an import made and reads its journal: what
    the node holds in memory for the facts, whatever recorded them."""
    from cli.importing import iter_items
    from infrastructure.spreadsheets.limits import Limits
    from infrastructure.spreadsheets.sniff import sniff
    from infrastructure.stores import Store
    from service import sheet_outcomes
    from service.node import open_node
    from service.sheet_import import ImportOptions, plan_import

    store = Store(home, database_url, namespace=namespace)
    if kind == "load":
        node = open_node(store, STREET)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        held = len(node.ledger.journal().orgs)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"orgs": held, "before_kib": before, "peak_kib": peak,
                          "seconds": seconds}))  # fmt: skip
        node.close()
        return
    node = open_node(store, STREET, create=True)
    node.ledger.open("招宝山街道", None, "2015-01-01")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if kind == "jsonl":
        receipts, problems = node.record_many(iter_items(path), actor="cli:bench")
        count, refused = len(receipts), bool(problems)
    else:
        sniffed, options = sniff(path, Limits()), ImportOptions()
        plan = plan_import(node, path, sniffed, options)
        again = lambda: plan_import(node, path, sniffed, options).items  # noqa: E731
        report = sheet_outcomes.record(
            node, plan.items, plan, again=again, actor="cli:bench"
        )
        count, refused = len(report.outcomes), report.refused
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert not refused
    assert node.ledger.head().seq == count + 1
    node.close()
    print(json.dumps({"seconds": seconds, "facts": count, "before_kib": before,
                      "peak_kib": peak}))  # fmt: skip


def measure(
    kind: str, path: Path, root: Path, database_url: str | None
) -> dict[str, Any]:
    """One import in a child process, then its node's journal read in another."""
    home = Path(tempfile.mkdtemp(dir=root))
    namespace = f"bench_{uuid.uuid4().hex[:8]}_" if database_url else ""
    result = _child(kind, path, home, database_url, namespace)
    held = _child("load", path, home, database_url, namespace)
    result["held_kib"] = held["peak_kib"] - held["before_kib"]
    result["load_seconds"] = held["seconds"]
    return result


def _child(
    kind: str, path: Path, home: Path, database_url: str | None, namespace: str
) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.import_sheets", "--child", kind, str(path)]
    command += ["--home", str(home), "--namespace", namespace]
    if database_url:
        command += ["--database-url", database_url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def drop_schemas(database_url: str) -> None:
    """Remove the schemas the children made."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT schema_name FROM information_schema.schemata "
            "WHERE schema_name LIKE 'bench\\_%'"
        ).fetchall()
        for (schema,) in rows:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def run(store: str, rows: int, repeat: int) -> dict[str, Any]:
    """Best and median rates and peak memory of both imports on one kind of store."""
    database_url = DATABASE_URL if store == "postgres" else None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = filings(rows)
        files = {
            "xlsx": root / "备案台账.xlsx",
            "csv": root / "备案台账.csv",
            "jsonl": root / "filings.jsonl",
        }
        write_register(files["xlsx"], data)
        write_csv(files["csv"], data)
        write_jsonl(files["jsonl"], data)
        runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in files}
        for _ in range(repeat):
            for kind, path in files.items():
                runs[kind].append(measure(kind, path, root, database_url))
        if database_url:
            drop_schemas(database_url)
        sizes = {kind: path.stat().st_size for kind, path in files.items()}
    return {"store": store, "rows": rows, "sizes": sizes, **summary(runs, sizes)}


def summary(
    runs: dict[str, list[dict[str, Any]]], sizes: dict[str, int]
) -> dict[str, Any]:
    """Rates (facts/s), their ratio, and memory above the process's start."""
    found: dict[str, Any] = {}
    for kind, results in runs.items():
        rates = [r["facts"] / r["seconds"] for r in results]
        growth = [(r["peak_kib"] - r["before_kib"]) * 1024 for r in results]
        found[kind] = {
            "best": max(rates),
            "median": statistics.median(rates),
            "peak_mib": max(r["peak_kib"] for r in results) / 1024,
            "growth_mib": max(growth) / 2**20,
            "growth_per_file_byte": max(growth) / sizes[kind],
            # What the node keeps for the facts (its journal's state), read cold.
            "held_mib": max(r["held_kib"] for r in results) / 1024,
            "load_ms": min(r["load_seconds"] for r in results) * 1000,
        }
    for kind in ("xlsx", "csv"):
        found[kind]["ratio_best"] = found[kind]["best"] / found["jsonl"]["best"]
        found[kind]["ratio_median"] = found[kind]["median"] / found["jsonl"]["median"]
    return found


def beyond(k: dict[str, Any], size: int) -> float:
    """Growth above what the node keeps for the facts, per byte of the file."""
    return max(float(k["growth_mib"] - k["held_mib"]), 0.0) * 2**20 / size


def main() -> None:
    """Run the benchmark (or, with --child, one import) and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"))
    parser.add_argument("--home", type=Path)
    parser.add_argument("--database-url")
    parser.add_argument("--namespace", default="")
    args = parser.parse_args()
    if args.child:
        kind, path = args.child[0], Path(args.child[1])
        child(kind, path, args.home, args.database_url, args.namespace)
        return
    results = [run(s, args.rows, args.repeat) for s in args.stores.split(",")]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )
    print("| store | file | size | facts/s best (median) | ratio best (median) "
          "| peak RSS | growth | growth / file size "
          "| node's state, read cold | its best time "
          "| growth beyond it / file size |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        for kind in ("xlsx", "csv", "jsonl"):
            k = r[kind]
            ratio = (
                f"**{k['ratio_best']:.2f}×** ({k['ratio_median']:.2f}×)"
                if kind != "jsonl"
                else "1"
            )
            print(
                f"| {r['store']} | {kind} | {r['sizes'][kind] / 2**20:.1f} MiB | "
                f"{k['best']:,.0f} ({k['median']:,.0f}) | {ratio} | "
                f"{k['peak_mib']:.0f} MiB | {k['growth_mib']:.0f} MiB | "
                f"{k['growth_per_file_byte']:.1f}× | {k['held_mib']:.0f} MiB | "
                f"{k['load_ms']:.0f} ms | {beyond(k, r['sizes'][kind]):.1f}× |"
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()

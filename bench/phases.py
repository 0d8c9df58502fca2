"""Where one imported fact's time goes, phase by phase, next to the bare library.

python -m bench.phases [--facts 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.append import STREET, Bare, Entry
from bench.generate import street_facts
from domain.commands import parse_fields
from domain.journal import Journal
from infrastructure.stores import Store


def per_fact(seconds: float, count: int) -> str:
    """Microseconds per fact, formatted."""
    return f"{seconds / count * 1e6:6.1f} µs"


def main() -> None:
    """Time validation, journal checks and storage separately on SQLite."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=int, default=5000)
    facts = list(street_facts(STREET, 1990, 2024, 40))[: parser.parse_args().facts]
    count = len(facts)
    start = time.perf_counter()
    parsed = [(fact_type, parse_fields(fact_type, data)) for fact_type, data in facts]
    parsing = time.perf_counter() - start
    journal = Journal.open(STREET, "招宝山街道", None, "2015-01-01")
    start = time.perf_counter()
    for fact_type, fields in parsed:
        journal.record(fact_type, fields)
    recording = time.perf_counter() - start
    store = Store(Path(tempfile.mkdtemp()))
    ledger = store.open_ledger(STREET, create=True)
    start = time.perf_counter()
    ledger.store(journal, 0)  # storage only: encode and insert, 1 000 per transaction
    storing = time.perf_counter() - start
    ledger.close()
    app = Bare(
        env={
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(Path(tempfile.mkdtemp()) / "bare.sqlite"),
        }
    )
    entry = Entry()
    start = time.perf_counter()
    for index, (_, data) in enumerate(facts, start=1):
        entry.record(data)
        if index % 100 == 0:
            app.save(entry)
    app.save(entry)
    bare = time.perf_counter() - start
    app.close()
    print(
        f"ledger: validate {per_fact(parsing, count)}, check+hash+build "
        f"{per_fact(recording, count)}, store {per_fact(storing, count)}"
    )
    print(f"bare:   build+store in 100-event saves {per_fact(bare, count)}")


if __name__ == "__main__":
    main()

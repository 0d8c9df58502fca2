"""An import is all or nothing on both stores: `kill -9` at any moment leaves none of
the file or all of it, and the journal verifies."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from domain.codes import NodeCode
from testdata.generator import Generator

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.stores import Store

NODE = "330211001001"
FACTS = 6000
"""Enough for several insert statements on PostgreSQL (1 000 rows each)."""


def environment(store: Store) -> dict[str, str]:
    return {
        **os.environ,
        "TIERLEDGER_HOME": str(store.home),
        "TIERLEDGER_DATABASE_URL": store.database_url or "",
        "TIERLEDGER_NAMESPACE": store.namespace,
    }


def tierledger(store: Store, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a command to its end."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=environment(store),
        capture_output=True,
        text=True,
        check=False,
    )


def killed_after(store: Store, seconds: float, *args: str) -> None:
    """Start a command and kill -9 it after ``seconds`` (or let it end first)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        env=environment(store),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    process.wait()


def head(store: Store) -> int:
    ledger = store.open_ledger(NodeCode(NODE))
    try:
        return ledger.head().seq
    finally:
        ledger.close()


def facts_file(path: Path) -> Path:
    items = Generator(NodeCode(NODE)).years(2000, 2030, 40, [NodeCode(NODE)])
    with path.open("w", encoding="utf-8") as f:
        for _, (fact_type, data) in zip(range(FACTS), items, strict=False):
            f.write(json.dumps({"type": fact_type, "data": data}, ensure_ascii=False))
            f.write("\n")
    return path


def test_kill_9_at_any_moment_leaves_none_or_all_of_an_import(
    store: Store, tmp_path: Path
) -> None:
    assert tierledger(store, "init", NODE).returncode == 0
    source = facts_file(tmp_path / "facts.jsonl")
    before, seen = head(store), set()
    rng = random.Random(16)
    for _ in range(6):
        killed_after(store, rng.uniform(0.3, 4.0), "import", NODE, str(source))
        seen.add(head(store))
        if seen != {before}:
            break
    if seen == {before}:  # every kill came before the commit: import it whole now
        done = tierledger(store, "import", NODE, str(source))
        assert done.returncode == 0, done.stderr
    after = head(store)
    # Check: every crash left the journal as it was, or the whole file in it.
    assert after - before >= FACTS
    assert seen <= {before, after}
    verify = tierledger(store, "verify", NODE)
    assert verify.returncode == 0, verify.stderr

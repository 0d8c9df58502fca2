"""Alter each stored byte of a small ledger, one at a time; count what verify misses.

python -m bench.tamper_sweep        # prints: total N misses 0
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from infrastructure.stores import Store
from tests.factories import COMMUNITY
from tests.projections.tampering import Tamperer
from tests.projections.test_tamper import build


def main() -> None:
    """Try four replacement bytes at every position of every stored fact."""
    store = Store(Path(tempfile.mkdtemp()))
    build(store).close()
    tamper = Tamperer(store, COMMUNITY)
    ledger = store.open_ledger(COMMUNITY)
    misses = total = 0
    for row in tamper.rows():
        for at in range(len(row.state)):
            for new in {row.state[at] ^ 1, 32, ord("0"), ord('"')} - {row.state[at]}:
                tamper.set_state(
                    row.version, row.state[:at] + bytes([new]) + row.state[at + 1 :]
                )
                total += 1
                if ledger.verify().ok:
                    misses += 1
                    print("MISS", row.version, at, new)
        tamper.set_state(row.version, row.state)
    print("total", total, "misses", misses)


if __name__ == "__main__":
    main()

"""One composition root: only ``service.node`` wires a node together."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
WIRING = re.compile(r"\b(NodeSync|NodeViews)\(|ledger\.(verifier|held|signer) = ")
"""Building a node's parts, or handing its ledger a verifier or port afterwards."""
ALLOWED = {
    "service/node.py",  # the composition root
    "domain/node_sync.py",  # the class itself
    "projections/node_views.py",
}


def test_no_surface_wires_a_node_itself() -> None:
    found = []
    for package in ("api", "cli", "sync", "bench", "tests", "projections", "domain"):
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                if WIRING.search(line) and not line.lstrip().startswith("#"):
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "\n".join(found)

"""A node's latest witness receipt, in a file beside its key (owner-only).

Kept apart from the node's store on purpose: restoring an older copy of the store, or
deleting its tail, does not take the parent's word back with it.
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING

from domain.witness import Witness
from infrastructure.files import write_private

if TYPE_CHECKING:
    from pathlib import Path


class WitnessFile:
    """The domain's WitnessBook as one JSON file, replaced atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def latest(self) -> Witness | None:
        """The kept receipt, or None (a damaged file is evidence: it raises)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return Witness.parse(json.loads(text))

    def keep(self, witness: Witness) -> None:
        """Keep ``witness`` if it is past the one kept (never move backwards)."""
        with contextlib.suppress(ValueError):
            kept = self.latest()
            if kept is not None and kept.seq > witness.seq:
                return
        text = json.dumps(witness.as_dict(), ensure_ascii=False, indent=1)
        write_private(self.path, text)

"""Stored journal snapshots checked against the facts they summarise.

A snapshot is a cache of the journal's state that the ledger's rules trust when it
loads; nothing chains it, so verification replays the facts up to the latest one
and compares the two states.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.journal import Journal
from domain.messages import Text
from domain.snapshot_packing import pack_document, unpack_document
from domain.stored_form import snapshot_document
from domain.verify import Problem

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from domain.verify import StoredFact


class SnapshotCheck:
    """Replays the facts below the latest snapshot while verification walks them."""

    def __init__(self, version: int, stored_state: bytes | None) -> None:
        self.version, self.stored_state = version, stored_state
        self.journal: Journal | None = None
        self.unreadable = False

    def rows(self, rows: Iterable[StoredFact]) -> Iterator[StoredFact]:
        """Pass ``rows`` through, applying each fact up to the snapshot's seq."""
        for row in rows:
            if row.seq <= self.version and not self.unreadable:
                if row.fact is None:
                    self.unreadable = True  # the chain check reports that row
                else:
                    self.journal = row.fact.mutate(self.journal)
            yield row

    def problem(self) -> Problem | None:
        """The snapshot's defect, if its state is not what its facts give."""
        if not self.version or self.stored_state is None:
            return None
        journal = self.journal
        if self.unreadable or journal is None or journal.version != self.version:
            return None  # facts missing or broken: reported by the chain check
        try:
            stored = upcast(unpack_document(self.stored_state)["state"])
        except (ValueError, KeyError, TypeError, AttributeError):
            return Problem(self.version, Text("the stored snapshot cannot be read"))
        # Through the stored form, so both are what JSON keeps.
        taken = snapshot_document(Journal.Snapshot.take(journal))
        fresh = upcast(unpack_document(pack_document(taken))["state"])
        if not isinstance(stored, dict) or stored != fresh:
            changed = sorted(
                k
                for k in fresh
                if not isinstance(stored, dict) or stored.get(k) != fresh[k]
            )
            return Problem(
                self.version,
                Text(
                    "the stored snapshot at seq {seq} differs from the state its "
                    "facts give ({parts}): it was edited; run `tierledger verify "
                    "--drop-snapshots` to discard it",
                    seq=self.version,
                    parts=", ".join(changed[:4]) or Text("extra keys"),
                ),
            )
        return None


def upcast(state: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's state as this version of the journal loads it: an earlier
    version's upcast as the library does on load, the version itself left out."""
    version = state.pop("class_version", 1)
    while version < Journal.class_version:
        getattr(Journal, f"upcast_v{version}_v{version + 1}")(state)
        version += 1
    return state

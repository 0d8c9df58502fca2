"""A large save (an import) written to the store part by part, committed at once.

The facts of an import go to the store in parts as they are checked, into one open
transaction (``domain.ports.SavesInParts``): memory holds a part, not the whole
file's facts, and the import stays all or nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.persistence import Mapper, ProcessRecorder, StoredEvent, Tracking

from domain.facts import Fact
from domain.ledger_reads import HEAD

if TYPE_CHECKING:
    from collections.abc import Sequence
    from uuid import UUID

    from domain.journal import Journal
    from domain.ports import OpenSave
    from domain.receipts import Answered

PART = 500
"""Facts written per part: enough to keep inserts efficient, few enough to hold."""


class Saving:
    """The journal's facts on their way into an open save."""

    def __init__(
        self, open_save: OpenSave, journal: Journal, mapper: Mapper[UUID]
    ) -> None:
        self.open_save = open_save
        self.journal = journal
        self.before = journal.version
        self.mapper = mapper
        self.finished = False

    def flush_if_due(self) -> None:
        """Write the facts checked so far once they make a part."""
        if len(self.journal.pending_events) >= PART:
            self.flush()

    def flush(self) -> None:
        """Write the facts checked so far (the journal lets go of them)."""
        facts = self.journal.collect_events()
        self.open_save.insert([self.mapper.to_stored_event(f) for f in facts])

    def written_fact(self, seq: int) -> Fact | None:
        """A fact of the journal as this save sees the store, its own parts too."""
        stored = self.open_save.select(self.journal.id, seq)
        event = None if stored is None else self.mapper.to_domain_event(stored)
        return event if isinstance(event, Fact) else None

    def finish(self, requests: Sequence[Answered]) -> None:
        """Write the rest, the head and the answered requests: the save may commit."""
        self.finished = True
        if self.journal.version == self.before:
            return  # only facts held already: nothing to write
        self.flush()
        self.open_save.finish(Tracking(HEAD, self.journal.version), requests)


class WholeSave:
    """For a store that cannot hold a transaction open (the library's in-memory
    one): the parts are kept and inserted together when the save finishes."""

    def __init__(self, recorder: ProcessRecorder) -> None:
        self.recorder = recorder
        self.stored: list[StoredEvent] = []

    def insert(self, stored_events: Sequence[StoredEvent]) -> None:
        """Keep a part."""
        self.stored.extend(stored_events)

    def select(self, originator_id: UUID, version: int) -> StoredEvent | None:
        """An event kept here or already in the store."""
        kept = (e for e in self.stored if e.originator_version == version)
        found = next(kept, None)
        if found is not None:
            return found
        selected = self.recorder.select_events(
            originator_id, gt=version - 1, lte=version
        )
        return selected[0] if selected else None

    def finish(self, tracking: Tracking, requests: Sequence[Answered]) -> int | None:
        """Insert every part kept, with the head and the requests, at once."""
        extra = {"requests": requests} if requests else {}
        ids = self.recorder.insert_events(self.stored, tracking=tracking, **extra)
        return ids[-1] if ids else None

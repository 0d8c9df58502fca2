"""How a node's ledger stores its journal: facts as their documents, with the head and
the answered requests in the same transaction; snapshots when due."""

from __future__ import annotations

import contextlib
from contextlib import contextmanager
from typing import TYPE_CHECKING

from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    ProcessRecorder,
    Tracking,
)

from domain.errors import ConcurrentWriteError, RequestKeyReusedError
from domain.journal import Journal
from domain.ledger_reads import HEAD, LedgerReads
from domain.messages import Text
from domain.parted_save import Saving, WholeSave
from domain.ports import RequestLog, SavesInParts
from domain.receipts import Answered, Receipt
from domain.stored_form import FactMapper

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from uuid import UUID

    from domain.facts import Fact


class LedgerStore(LedgerReads):
    """The ledger's storage: what recording (``domain.application.Ledger``) calls."""

    is_snapshotting_enabled = True
    snapshot_interval = 2000
    """Facts between snapshots: each is the whole journal's state (decision 0044)."""

    def construct_mapper(self) -> Mapper[UUID]:
        """Facts are stored as their documents (``domain.stored_form``)."""
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=FactMapper
        )

    def construct_recorder(self) -> ProcessRecorder:
        return self.factory.process_recorder()

    def replayed(self, request: tuple[str, str] | None) -> list[Receipt] | None:
        """The receipts of an answered request with this key (None: not answered)."""
        if request is None or not isinstance(self.recorder, RequestLog):
            return None
        found = self.recorder.recall_request(request[0])
        if found is None:
            return None
        digest, first, last = found
        if digest != request[1]:
            raise RequestKeyReusedError(
                Text(
                    "this Idempotency-Key was used for another request; use a "
                    "new key for a new request"
                ),
                field="Idempotency-Key",
            )
        facts = self.facts(after=first - 1, limit=last - first + 1)
        return [Receipt.of(f) for f in facts if not f.signs]

    def store(
        self,
        journal: Journal,
        before: int,
        foreign: Sequence[Fact] = (),
        requests: Sequence[Answered] = (),
    ) -> int | None:
        """Store the pending facts with the head, in one transaction; then snapshot if
        due. (An import goes through ``saved_in_parts`` instead.)

        ``foreign`` facts (other origins' journals, stored verbatim) go first, with
        this journal's facts, which record their receipt; ``requests`` are the
        Idempotency-Keys answered by these facts. Returns the notification id of the
        last fact stored.
        """
        pending = [*foreign, *journal.collect_events()]
        with self._saving_or_forgetting(journal):
            last_id = self._insert(pending, Tracking(HEAD, journal.version), requests)
        self._saved(journal, before)
        return last_id

    @contextmanager
    def saved_in_parts(self, journal: Journal) -> Iterator[Saving]:
        """A save of the journal's coming facts, written part by part into one
        transaction as they are checked (``domain.parted_save``): it commits when
        the block ends after ``Saving.finish``, and keeps nothing if it raises."""
        before = journal.version
        recorder = self.process_recorder
        opened = (
            recorder.save_in_parts()
            if isinstance(recorder, SavesInParts)
            else contextlib.nullcontext(WholeSave(recorder))
        )
        with self._saving_or_forgetting(journal), opened as open_save:
            saving = Saving(open_save, journal, self.mapper)
            yield saving
            if not saving.finished:
                raise RuntimeError("a save in parts ended without finishing")
        self._saved(journal, before)

    @contextmanager
    def _saving_or_forgetting(self, journal: Journal) -> Iterator[None]:
        """Forget the journal's unsaved state if the save fails."""
        try:
            yield
        except IntegrityError:
            self.forget(journal)
            raise ConcurrentWriteError(
                Text(
                    "another process recorded at node {node} meanwhile; nothing was "
                    "recorded, please retry",
                    node=self.node,
                )
            ) from None
        except BaseException:
            self.forget(journal)
            raise

    def _saved(self, journal: Journal, before: int) -> None:
        """Cache the journal as saved; snapshot it if due."""
        if self.repository.cache is not None:
            self.repository.cache.put(journal.id, journal)
        if journal.version // self.snapshot_interval > before // self.snapshot_interval:
            assert self.snapshots is not None
            self.snapshots.put([Journal.Snapshot.take(journal)])

    def _insert(
        self,
        facts: Sequence[Fact],
        tracking: Tracking,
        requests: Sequence[Answered] = (),
    ) -> int | None:
        """Insert facts and the head in one transaction; the last notification id.

        Straight to the recorder: the application's save path would also build a
        Recording per event, which nothing here reads.
        """
        stored = [self.mapper.to_stored_event(fact) for fact in facts]
        extra = {"requests": requests} if requests else {}
        ids = self.process_recorder.insert_events(stored, tracking=tracking, **extra)
        return ids[-1] if ids else None

    def forget(self, journal: Journal) -> None:
        """Drop a journal whose in-memory state may differ from the store."""
        journal.collect_events()
        if self.repository.cache is not None:
            with contextlib.suppress(KeyError):
                self.repository.cache.get(journal.id, evict=True)

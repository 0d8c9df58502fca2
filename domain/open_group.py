"""A group of clerks' facts, checked as they arrive and stored in one transaction.

Group commit (decision 0024) checks each fact in turn as if it were recorded alone,
gives each its own receipt or error, and stores the group at once.

The journal is taken as this process last saved it, without reading what other
processes may have stored since (decision 0046). A save proves it was current: a
fact stored at seq n+1 means nobody else had stored one there. If the group stored
nothing (every fact refused or held already), one read confirms the outcomes; if
they were decided on a stale journal, the group is checked again on the fresh one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import ConcurrentWriteError, LedgerError
from domain.receipts import Receipt, answered_by, answered_in

if TYPE_CHECKING:
    from collections.abc import Iterable

    from domain.application import Ledger
    from domain.journal import Journal
    from domain.receipts import Answered, Pending


class OpenGroup:
    """Facts checked on one journal, not yet stored."""

    def __init__(self, ledger: Ledger, journal: Journal) -> None:
        self.ledger = ledger
        self.journal = journal
        self.before = journal.version
        self.facts: list[Pending] = []
        self._answered: list[Answered] = []
        """Idempotency-Keys answered by the facts this group records."""
        self._fresh: list[Pending] = []
        """The facts this group records (not refused, not held already)."""

    def add(self, pendings: Iterable[Pending]) -> None:
        """Check each fact in turn, as if recorded alone: its receipt or error."""
        added = list(pendings)
        self.facts.extend(added)  # all settled, even if a check raises midway
        for pending in added:
            self._check(pending)

    def store(self, *, optimistic: bool = False) -> bool:
        """Store what the group records, in one transaction: whether anything was.
        If the store fails, no fact of the group is kept and each recorded one gets
        the error; ``optimistic``: a ConcurrentWriteError is raised instead."""
        try:
            if self.journal.version > self.before:
                self.ledger.store(self.journal, self.before, requests=self._answered)
                return True
        except Exception as error:
            if optimistic and isinstance(error, ConcurrentWriteError):
                raise
            self.fail(error)
        return False

    def fail(self, error: BaseException) -> None:
        """Keep none of the group: the recorded facts and those unsettled get
        ``error``; the journal forgets what it applied."""
        for pending in self.facts:
            if pending in self._fresh or not (pending.receipt or pending.error):
                pending.receipt, pending.error = None, error
        if self.journal.pending_events:
            self.ledger.forget(self.journal)

    def _check(self, pending: Pending) -> None:
        ledger, request = self.ledger, pending.request
        try:
            replayed = ledger.replayed(request) or answered_in(self._fresh, request)
            if replayed:
                pending.answer(replayed[0])
                return
            before = self.journal.version
            fields = dict(pending.fields)  # kept whole: a stale check runs again
            fact, held = ledger.apply(
                self.journal, pending.fact_type, fields, actor=pending.actor
            )
        except LedgerError as error:
            pending.error = error
            return
        pending.answer(Receipt.of(fact, already_recorded=held))
        if not held:
            ledger.sign_if_due(self.journal)
            self._answered.extend(answered_by(request, before, self.journal))
            self._fresh.append(pending)


def record_group(ledger: Ledger, facts: Iterable[Pending]) -> None:
    """Check the facts in turn and store them in one transaction, under the write
    lock; each is then done. If anything raises, nothing is kept."""
    with ledger.write_lock:
        cached = ledger.cached_journal()
        group = OpenGroup(ledger, ledger.journal() if cached is None else cached)
        try:
            group.add(facts)
            if cached is None:
                group.store()
            else:
                _store_optimistically(ledger, group)
        except BaseException as error:
            group.fail(error)
            raise
        finally:
            for pending in group.facts:
                pending.done = True


def _store_optimistically(ledger: Ledger, group: OpenGroup) -> None:
    try:
        if group.store(optimistic=True):
            return  # stored at the seq after the cached journal's: it was current
    except ConcurrentWriteError:  # another process stored meanwhile; nothing kept
        pass
    else:
        if not ledger.stored_after(group.journal):  # read what others stored
            return  # the outcomes were decided on the current journal
        ledger.forget(group.journal)
    for pending in group.facts:
        pending.receipt, pending.error = None, None
    again = OpenGroup(ledger, ledger.journal())
    again.add(group.facts)
    again.store()

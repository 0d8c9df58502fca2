"""Group commit: clerks' facts arriving together are stored in one transaction.

A node records one fact at a time under its write lock; each save is a transaction,
and on PostgreSQL a round trip and a WAL flush. When requests arrive together, the
first to get the lock records every fact queued so far, in arrival order, and commits
them at once; the others find their outcome waiting when they get the lock. Each fact
is checked as if recorded alone, so the journal is what one-by-one recording gives.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from domain.receipts import Pending

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.application import Ledger
    from domain.receipts import Receipt


class GroupCommit:
    """Records clerks' facts for many threads, a group per transaction."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._queue: list[Pending] = []
        self._queue_lock = threading.Lock()

    def record(
        self,
        fact_type: str,
        data: Mapping[str, object],
        request_key: str | None = None,
    ) -> Receipt:
        """Record one fact; its receipt, or its own LedgerError."""
        mine = Pending.of(fact_type, data, request_key)  # a bad field fails here
        with self._queue_lock:
            self._queue.append(mine)
        with self.ledger.write_lock:
            if not mine.done:  # no earlier group took it: lead the next one
                with self._queue_lock:
                    group, self._queue = self._queue, []
                self.ledger.record_group(group)
        return mine.outcome()

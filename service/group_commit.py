"""Group commit: clerks' facts arriving together are stored in one transaction.

A node records one fact at a time under its write lock; each save is a transaction,
and on PostgreSQL a round trip and a WAL flush. When requests arrive together, the
first to get the lock records every fact queued so far, in arrival order, and commits
them at once; the others find their outcome waiting when they get the lock. Each fact
is checked as if recorded alone, so the journal is what one-by-one recording gives.

Requests served on an event loop queue their facts for one writer thread instead, and
await their outcome: a request then costs no thread of its own, and the writer records
whatever queued while it was committing the previous group.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from domain.receipts import Pending

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.application import Ledger
    from domain.receipts import Receipt


GATHER_SECONDS = 0.005
"""How long at most the writer waits for a group to fill, when the last group had
company (as PostgreSQL's ``commit_delay``): fewer, larger commits under load; a lone
clerk's fact is not delayed."""


class GroupCommit:
    """Records clerks' facts for many threads, a group per transaction."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._queue: list[Pending] = []
        self._queue_lock = threading.Lock()
        self._arrived = threading.Condition(self._queue_lock)
        """Notified when as many facts have queued as the writer expects."""
        self._expected = 0
        self._closing = False
        self._waiting: list[tuple[Pending, asyncio.Future[None]]] = []
        self._writing = False
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="group-commit")

    def record(
        self,
        fact_type: str,
        data: Mapping[str, object],
        request_key: str | None = None,
        actor: str | None = None,
    ) -> Receipt:
        """Record one fact (by ``actor``); its receipt, or its own LedgerError."""
        mine = Pending.of(fact_type, data, request_key, actor)  # bad fields fail here
        with self._queue_lock:
            self._queue.append(mine)
        with self.ledger.write_lock:
            if not mine.done:  # no earlier group took it: lead the next one
                with self._queue_lock:
                    group, self._queue = self._queue, []
                self.ledger.record_group(group)
        return mine.outcome()

    async def submit(
        self,
        fact_type: str,
        data: Mapping[str, object],
        request_key: str | None = None,
        actor: str | None = None,
    ) -> Receipt:
        """Record one fact from a coroutine (by ``actor``): queued for the writer
        thread, awaited."""
        mine = Pending.of(fact_type, data, request_key, actor)  # bad fields fail here
        done = asyncio.get_running_loop().create_future()
        with self._queue_lock:
            self._waiting.append((mine, done))
            start, self._writing = not self._writing, True
            if self._expected and len(self._waiting) >= self._expected:
                self._arrived.notify()
        if start:
            self._writer.submit(self._write_waiting)
        await done  # a client gone does not unqueue its fact: the writer holds it
        return mine.outcome()

    def _write_waiting(self) -> None:
        last = 0
        while True:
            if last > 1:  # others are posting: let their requests join this group
                self._gather(last)
            with self._queue_lock:
                group, self._waiting = self._waiting, []
                if not group:
                    self._writing = False
                    return
            try:
                self.ledger.record_group([pending for pending, _ in group])
            except Exception as error:  # the writer must live on for the next group
                for pending, _ in group:
                    if not pending.done:
                        pending.error, pending.done = error, True
            last = len(group)
            self._wake([done for _, done in group])

    def _gather(self, expected: int) -> None:
        """Wait until as many facts have queued as the last group held, or at most
        GATHER_SECONDS. The clerks just answered are sending their next facts: a
        fixed pause either ends before the event loop has read them all, or idles
        once it has (decision 0024)."""
        with self._arrived:
            self._expected = expected
            self._arrived.wait_for(
                lambda: self._closing or len(self._waiting) >= expected,
                timeout=GATHER_SECONDS,
            )
            self._expected = 0

    @staticmethod
    def _wake(futures: list[asyncio.Future[None]]) -> None:
        """Settle each future on its own loop, one wake-up per loop."""
        loops: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
        for done in futures:
            loops.setdefault(done.get_loop(), []).append(done)
        for loop, waiting in loops.items():
            if not loop.is_closed():
                loop.call_soon_threadsafe(_settle, waiting)

    def close(self) -> None:
        """Finish the queued groups and stop the writer thread."""
        with self._arrived:
            self._closing = True  # no more facts are coming: stop gathering
            self._arrived.notify()
        self._writer.shutdown(wait=True)


def _settle(futures: list[asyncio.Future[None]]) -> None:
    for done in futures:
        if not done.done():
            done.set_result(None)

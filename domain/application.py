"""The Ledger application: one node's journal in one store."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from domain.actor import parse_actor
from domain.commands import parse_fields
from domain.errors import (
    BatchRejectedError,
    DuplicateError,
    LedgerError,
    NodeExistsError,
    UpgradeNotAllowedError,
)
from domain.facts import Fact, repeats
from domain.identity import journal_id
from domain.journal import Journal
from domain.ledger_store import LedgerStore
from domain.messages import Text
from domain.open_group import record_group
from domain.preview import Preview, differences
from domain.receipts import (
    Item,
    Pending,
    Receipt,
    answered_by,
    request_digest,
)
from domain.values import today_in_china

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from datetime import datetime

    from domain.codes import NodeCode
    from domain.parted_save import Saving
    from domain.ports import HeldOrganizations, Signer, Verifier

PROGRESS_EVERY = 200
CHECKPOINT_EVERY = 1000
"""Own facts between signed heads at most, when the node can sign: a feed page can
then always end on a signature of every origin in it (``domain.feed``)."""


class Ledger(LedgerStore):
    """A node's ledger: records facts, answers for its head, verifies its chain."""

    name = "Ledger"
    env = {  # noqa: RUF012 (the library reads this class attribute)
        "AGGREGATE_CACHE_MAXSIZE": "4",
        # One writer per node; a stale cache is caught by optimistic concurrency.
        "AGGREGATE_CACHE_FASTFORWARD": "n",
        # Guards raise before any mutation, so the cached journal is never half-changed.
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
    }

    def __init__(
        self,
        node: NodeCode,
        env: Mapping[str, str] | None = None,
        verifier: Verifier | None = None,
        held: HeldOrganizations | None = None,
    ) -> None:
        self.node = node
        self.verifier = verifier
        self.signer: Signer | None = None
        """Signs checkpoints every CHECKPOINT_EVERY own facts, if set."""
        self.held = held
        """Finds organizations known only from descendants' facts (the views): a
        node built by the composition root always has it."""
        self.journal_id = journal_id(node)
        self.write_lock = threading.RLock()
        self._saving: Saving | None = None
        """The import being saved in parts, while ``record_many`` runs."""
        super().__init__(dict(env or {}))

    # Commands.

    def open(
        self,
        name: str,
        public_key: str | None,
        effective_on: str,
        *,
        actor: str | None = None,
    ) -> Receipt:
        """Record the genesis fact of this node's journal (``actor``: who opens it)."""
        with self.write_lock:
            if self.is_open():
                raise NodeExistsError(
                    Text("node {node} already has a ledger here", node=self.node)
                )
            actor = None if actor is None else parse_actor(actor)
            journal = Journal.open(self.node, name, public_key, effective_on, actor)
            genesis = journal.pending_events[0]
            assert isinstance(genesis, Fact)
            self.store(journal, 0)
            return Receipt.of(genesis)

    def record(
        self,
        fact_type: str,
        data: Mapping[str, object],
        *,
        request_key: str | None = None,
        actor: str | None = None,
    ) -> Receipt:
        """Validate and record one fact; on a LedgerError nothing is recorded.

        With ``request_key`` (an Idempotency-Key) a retry of the same request returns
        the first receipt and records nothing; ``actor`` is who records it
        (``domain.actor``; None: unnamed, as facts were before decision 0035)."""
        pending = Pending.of(fact_type, data, request_key, actor)
        self.record_group([pending])  # a group of one
        return pending.outcome()

    def record_many(
        self,
        items: Iterable[Item],
        *,
        partial: bool = False,
        progress: Callable[[int], None] | None = None,
        request_key: str | None = None,
        actor: str | None = None,
    ) -> tuple[list[Receipt], list[tuple[int, LedgerError]]]:
        """Record numbered (type, data) items in one transaction: all, or the good ones.

        An item may already be a LedgerError (say, a line that is not JSON); it then
        counts as a bad item under its number. With ``request_key`` a retry of the
        same request returns the first receipts and records nothing. Without one,
        ``items`` are read once, as they come: a caller may hand them over one by one
        and let each go once checked. Every fact names ``actor``.
        """
        actor = None if actor is None else parse_actor(actor)
        request = None
        if request_key is not None:
            items = list(items)  # the request's digest covers every item
            request = request_digest(request_key, [partial, [i for _, i in items]])
        with self.write_lock:
            replayed = self.replayed(request)
            if replayed is not None:
                return replayed, []
            journal = self.journal()
            before = journal.version
            # Any failure, the items' source's included, keeps none of them.
            with self.saved_in_parts(journal) as self._saving:
                try:
                    receipts, problems = self._apply_batch(
                        journal, items, progress, actor
                    )
                    if problems and not partial:
                        raise BatchRejectedError(problems)
                    self._saving.finish(answered_by(request, before, journal))
                finally:
                    self._saving = None
            return receipts, problems

    def preview_many(self, items: Iterable[Item]) -> list[Preview]:
        """What ``record_many`` would do with each item, in order, recording nothing:
        each is checked against the journal and the items before it."""
        with self.write_lock:
            journal = self.journal()
            at = Journal.LedgerOpened.create_timestamp()
            try:
                return [self._preview(journal, n, item, at) for n, item in items]
            finally:
                self.forget(journal)  # drop the facts applied to see what they do

    def _preview(
        self,
        journal: Journal,
        number: int,
        item: tuple[object, object] | LedgerError,
        at: datetime,
    ) -> Preview:
        if isinstance(item, LedgerError):
            return Preview(number, error=item)
        given: dict[str, Any] = {}
        try:
            fields = parse_fields(item[0], item[1])
            given = dict(fields)
            fact, held = self.apply(journal, str(item[0]), fields, at)
            return Preview(number, Receipt.of(fact, already_recorded=held))
        except DuplicateError as error:
            found = self._held_fact(journal, error.held_seq)
            differs = differences(found, str(item[0]), given) if found else ()
            return Preview(
                number, error=error, differs=differs, held_seq=error.held_seq
            )
        except LedgerError as error:
            return Preview(number, error=error)

    def record_group(self, group: Sequence[Pending]) -> None:
        """Record several clerks' facts in one transaction (group commit): each is
        checked in turn as if recorded alone, and gets its own receipt or error."""
        record_group(self, group)  # domain/open_group.py

    def stored_after(self, journal: Journal) -> bool:
        """Whether facts past ``journal``'s version are stored (by another process)."""
        after = self.repository.event_store.get(
            self.journal_id, gt=journal.version, limit=1
        )
        return any(True for _ in after)

    def cached_journal(self) -> Journal | None:
        """The journal as this process last saved or read it, if cached."""
        if self.repository.cache is None:
            return None
        try:
            cached = self.repository.cache.get(self.journal_id)
        except KeyError:
            return None
        return cached if isinstance(cached, Journal) else None

    def _apply_batch(
        self,
        journal: Journal,
        items: Iterable[Item],
        progress: Callable[[int], None] | None,
        actor: str | None,
    ) -> tuple[list[Receipt], list[tuple[int, LedgerError]]]:
        receipts: list[Receipt] = []
        problems: list[tuple[int, LedgerError]] = []
        count = 0
        # The batch is recorded at one instant, as it is committed at once.
        at = Journal.LedgerOpened.create_timestamp()
        for count, (number, item) in enumerate(items, start=1):
            try:
                if isinstance(item, LedgerError):
                    raise item
                fields = parse_fields(item[0], item[1], date_required=True)
                fact, held = self.apply(journal, str(item[0]), fields, at, actor)
                receipts.append(Receipt.of(fact, already_recorded=held))
                self.sign_if_due(journal, at)
                if self._saving is not None:
                    self._saving.flush_if_due()
            except LedgerError as error:
                problems.append((number, error))
            if progress and count % PROGRESS_EVERY == 0:
                progress(count)
        if progress:
            progress(count)
        return receipts, problems

    def apply(
        self,
        journal: Journal,
        fact_type: str,
        fields: dict[str, Any],
        at: datetime | None = None,
        actor: str | None = None,
    ) -> tuple[Fact, bool]:
        """The fact recorded, or the identical one already held (True): a re-run of
        an import, or a retried request, records nothing twice (whoever repeats
        it: the fact held keeps its own actor)."""
        given = dict(fields)
        try:
            return journal.record(fact_type, fields, at, self.held, actor), False
        except DuplicateError as error:
            held = self._held_fact(journal, error.held_seq)
            if held is None or not repeats(held, fact_type, given):
                raise
            return held, True
        except UpgradeNotAllowedError:
            upgrade = (
                self._same_upgrade(journal, given)
                if fact_type == "OrganizationUpgraded"
                else None
            )
            if upgrade is None:
                raise
            return upgrade, True
        except LedgerError:
            raise  # checks run before any change: the journal is intact
        except Exception:
            self.forget(journal)
            raise

    def _same_upgrade(self, journal: Journal, given: dict[str, Any]) -> Fact | None:
        """The upgrade held that ``given`` repeats, if any: an upgrade happens once,
        so offering it again (a re-run import) is the same fact, not a refusal."""
        org_id = journal.resolve(str(given.get("org", "")))
        org = journal.orgs.get(org_id) if org_id else None
        for seq in reversed(org["facts"] if org else []):
            fact = self._held_fact(journal, seq)
            if fact is not None and repeats(fact, "OrganizationUpgraded", given):
                return fact
        return None

    def _held_fact(self, journal: Journal, seq: int | None) -> Fact | None:
        if seq is None:
            return None
        pending = (f for f in journal.pending_events if f.originator_version == seq)
        found = next(pending, None)
        if isinstance(found, Fact):
            return found
        if self._saving is not None:  # the store outside the open save lacks its parts
            return self._saving.written_fact(seq)
        return self.fact(seq)

    def sign_if_due(self, journal: Journal, at: datetime | None = None) -> None:
        """Append a signed head if enough facts have passed since the last."""
        if (
            self.signer
            and journal.version - journal.last_checkpoint >= CHECKPOINT_EVERY
        ):
            journal.checkpoint(self.signer, today_in_china().isoformat(), at)

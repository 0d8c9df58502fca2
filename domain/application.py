"""The Ledger application: one node's journal in one store."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    ProcessRecorder,
    Tracking,
)

from domain.codes import NodeCode
from domain.commands import parse_fields
from domain.errors import (
    BatchRejectedError,
    ConcurrentWriteError,
    DuplicateError,
    LedgerError,
    NodeExistsError,
    NodeNotFoundError,
    RequestKeyReusedError,
    UnknownOrganizationError,
)
from domain.facts import JOURNAL_TOPIC, Fact, repeats
from domain.identity import journal_id
from domain.journal import Journal
from domain.ports import RequestLog
from domain.snapshot_check import SnapshotCheck
from domain.stored_form import FactMapper
from domain.uscc import Uscc
from domain.values import today_in_china
from domain.verify import ChainChecker, StoredFact, VerifyReport

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
    from datetime import datetime

    from eventsourcing.persistence import StoredEvent

    from domain.ports import HeldOrganizations, Signer, Verifier
    from domain.state import OrgState, SubsidyState
    from domain.witness import Witness

Item = tuple[int, tuple[object, object] | LedgerError]
"""A numbered batch item: (line number, (fact type, data)) or (line number, error)."""
HEAD = "head"
"""Tracking name under which each save records the journal's last seq."""
PAGE = 1000
PROGRESS_EVERY = 200
CHECKPOINT_EVERY = 1000
"""Own facts between signed heads at most, when the node can sign: a feed page can
then always end on a signature of every origin in it (``domain.feed``)."""


def _request(key: str | None, body: object) -> tuple[str, str] | None:
    """(Idempotency-Key, SHA-256 of the request), when a key was given."""
    if key is None:
        return None
    try:
        encoded = orjson.dumps(body, option=orjson.OPT_SORT_KEYS, default=repr)
    except TypeError:  # integers beyond 64 bits: refused later, named by field
        encoded = json.dumps(body, sort_keys=True, default=repr).encode()
    return key, hashlib.sha256(encoded).hexdigest()


Answered = tuple[str, str, int, int]
"""A request answered by a save: (Idempotency-Key, digest, first seq, last seq)."""


def _answered(
    request: tuple[str, str] | None, before: int, journal: Journal
) -> list[Answered]:
    """The request, as answered by the journal's facts after ``before``."""
    return [] if request is None else [(*request, before + 1, journal.version)]


@dataclass(slots=True, eq=False)
class Pending:
    """One clerk's fact waiting in a group commit, and then its outcome."""

    fact_type: str
    fields: dict[str, Any]
    """As ``parse_fields`` gave them (parsed before the group forms)."""
    request: tuple[str, str] | None = None
    receipt: Receipt | None = None
    error: BaseException | None = None
    done: bool = False

    @classmethod
    def of(
        cls, fact_type: str, data: Mapping[str, object], request_key: str | None
    ) -> Pending:
        """A clerk's fact, parsed (a LedgerError names the field)."""
        fields = parse_fields(fact_type, data)
        return cls(fact_type, fields, _request(request_key, [fact_type, data]))


def _answered_in(
    fresh: Sequence[Pending], request: tuple[str, str] | None
) -> list[Receipt] | None:
    """The receipt of an earlier request of the same group with the same key."""
    if request is None:
        return None
    for earlier in fresh:
        if earlier.request and earlier.request[0] == request[0]:
            if earlier.request[1] != request[1]:
                raise RequestKeyReusedError(
                    "this Idempotency-Key was used for another request; use a new "
                    "key for a new request",
                    field="Idempotency-Key",
                )
            assert earlier.receipt is not None
            return [earlier.receipt]
    return None


def replay(journal: Journal | None, facts: Iterable[Any]) -> Journal | None:
    """Apply stored facts (or a snapshot) in order: the library's projector, minus a
    runtime Protocol check per event that costs more than applying the fact."""
    for fact in facts:
        journal = fact.mutate(journal)
    return journal


@dataclass(frozen=True, slots=True)
class Receipt:
    """What recording a fact returns: where it landed in the chain."""

    seq: int
    hash: str
    fact_type: str
    org_id: str | None
    warnings: tuple[str, ...] = ()
    already_recorded: bool = False
    """The same fact was held already (a re-run): nothing new was recorded."""

    @classmethod
    def of(cls, fact: Fact, *, already_recorded: bool = False) -> Receipt:
        """The receipt of a recorded fact, with any tolerated defects of its USCC."""
        uscc = fact.__dict__.get("uscc")
        warnings = Uscc.parse(uscc).warnings if isinstance(uscc, str) else ()
        return cls(
            fact.seq,
            fact.hash,
            fact.fact_type,
            fact.concerns,
            warnings,
            already_recorded,
        )


@dataclass(frozen=True)
class Head:
    """A node's head: (node, seq, hash) commits to its whole history."""

    node: str
    seq: int
    hash: str


class Ledger(Application[UUID]):
    """A node's ledger: records facts, answers for its head, verifies its chain."""

    name = "Ledger"
    is_snapshotting_enabled = True
    snapshot_interval = 500
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
        super().__init__(dict(env or {}))

    def construct_mapper(self) -> Mapper[UUID]:
        """Facts are stored as their documents (``domain.stored_form``)."""
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=FactMapper
        )

    def construct_recorder(self) -> ProcessRecorder:
        return self.factory.process_recorder()

    @property
    def process_recorder(self) -> ProcessRecorder:
        """The recorder, typed as the process recorder it is."""
        assert isinstance(self.recorder, ProcessRecorder)
        return self.recorder

    # Commands.

    def open(self, name: str, public_key: str | None, effective_on: str) -> Receipt:
        """Record the genesis fact of this node's journal."""
        with self.write_lock:
            if self.is_open():
                raise NodeExistsError(f"node {self.node} already has a ledger here")
            journal = Journal.open(self.node, name, public_key, effective_on)
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
    ) -> Receipt:
        """Validate and record one fact; on a LedgerError nothing is recorded.

        With ``request_key`` (an Idempotency-Key) a retry of the same request returns
        the first receipt and records nothing."""
        fields = parse_fields(fact_type, data)
        request = _request(request_key, [fact_type, data])
        with self.write_lock:
            replayed = self._replayed(request)
            if replayed:
                return replayed[0]
            journal = self.journal()
            before = journal.version
            fact, held = self._apply(journal, fact_type, fields)
            if not held:
                self._sign_if_due(journal)
                answered = _answered(request, before, journal)
                self.store(journal, before, requests=answered)
            return Receipt.of(fact, already_recorded=held)

    def _replayed(self, request: tuple[str, str] | None) -> list[Receipt] | None:
        """The receipts of an answered request with this key (None: not answered)."""
        if request is None or not isinstance(self.recorder, RequestLog):
            return None
        found = self.recorder.recall_request(request[0])
        if found is None:
            return None
        digest, first, last = found
        if digest != request[1]:
            raise RequestKeyReusedError(
                "this Idempotency-Key was used for another request; use a new key "
                "for a new request",
                field="Idempotency-Key",
            )
        facts = self.facts(after=first - 1, limit=last - first + 1)
        return [Receipt.of(f) for f in facts if not f.signs]

    def record_many(
        self,
        items: Iterable[Item],
        *,
        partial: bool = False,
        progress: Callable[[int], None] | None = None,
        request_key: str | None = None,
    ) -> tuple[list[Receipt], list[tuple[int, LedgerError]]]:
        """Record numbered (type, data) items in one transaction: all, or the good ones.

        An item may already be a LedgerError (say, a line that is not JSON); it then
        counts as a bad item under its number. With ``request_key`` a retry of the
        same request returns the first receipts and records nothing.
        """
        items = list(items)
        request = _request(request_key, [partial, [i for _, i in items]])
        with self.write_lock:
            replayed = self._replayed(request)
            if replayed is not None:
                return replayed, []
            journal = self.journal()
            before = journal.version
            receipts, problems = self._apply_batch(journal, items, progress)
            if problems and not partial:
                self._forget(journal)
                raise BatchRejectedError(problems)
            if journal.version > before:  # not only facts held already
                answered = _answered(request, before, journal)
                self.store(journal, before, requests=answered)
            return receipts, problems

    def record_group(self, group: Sequence[Pending]) -> None:
        """Record several clerks' facts in one transaction (group commit): each is
        checked in turn as if recorded alone, and gets its own receipt or error."""
        with self.write_lock:
            journal = self.journal()
            before = journal.version
            answered: list[Answered] = []
            fresh: list[Pending] = []
            try:
                for pending in group:
                    self._record_pending(journal, pending, answered, fresh)
                if journal.version > before:
                    self.store(journal, before, requests=answered)
            except Exception as error:  # the store failed: none of the new is kept
                for pending in group:
                    if pending in fresh or not (pending.receipt or pending.error):
                        pending.receipt, pending.error = None, error
                if journal.pending_events:
                    self._forget(journal)
            for pending in group:
                pending.done = True

    def _record_pending(
        self,
        journal: Journal,
        pending: Pending,
        answered: list[Answered],
        fresh: list[Pending],
    ) -> None:
        request = pending.request
        try:
            replayed = self._replayed(request) or _answered_in(fresh, request)
            if replayed:
                pending.receipt = replayed[0]
                return
            before = journal.version
            fact, held = self._apply(journal, pending.fact_type, pending.fields)
        except LedgerError as error:
            pending.error = error
            return
        pending.receipt = Receipt.of(fact, already_recorded=held)
        if not held:
            self._sign_if_due(journal)
            answered.extend(_answered(request, before, journal))
            fresh.append(pending)

    def _apply_batch(
        self,
        journal: Journal,
        items: Iterable[Item],
        progress: Callable[[int], None] | None,
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
                fields = parse_fields(item[0], item[1])
                fact, held = self._apply(journal, str(item[0]), fields, at)
                receipts.append(Receipt.of(fact, already_recorded=held))
                self._sign_if_due(journal, at)
            except LedgerError as error:
                problems.append((number, error))
            if progress and count % PROGRESS_EVERY == 0:
                progress(count)
        if progress:
            progress(count)
        return receipts, problems

    def _apply(
        self,
        journal: Journal,
        fact_type: str,
        fields: dict[str, Any],
        at: datetime | None = None,
    ) -> tuple[Fact, bool]:
        """The fact recorded, or the identical one already held (True): a re-run of
        an import, or a retried request, records nothing twice."""
        given = dict(fields)
        try:
            return journal.record(fact_type, fields, at, self.held), False
        except DuplicateError as error:
            held = self._held_fact(journal, error.held_seq)
            if held is None or not repeats(held, fact_type, given):
                raise
            return held, True
        except LedgerError:
            raise  # checks run before any change: the journal is intact
        except Exception:
            self._forget(journal)
            raise

    def _held_fact(self, journal: Journal, seq: int | None) -> Fact | None:
        if seq is None:
            return None
        pending = (f for f in journal.pending_events if f.originator_version == seq)
        found = next(pending, None)
        return found if isinstance(found, Fact) else self.fact(seq)

    def _sign_if_due(self, journal: Journal, at: datetime | None = None) -> None:
        if (
            self.signer
            and journal.version - journal.last_checkpoint >= CHECKPOINT_EVERY
        ):
            journal.checkpoint(self.signer, today_in_china().isoformat(), at)

    def store(
        self,
        journal: Journal,
        before: int,
        foreign: Sequence[Fact] = (),
        requests: Sequence[Answered] = (),
    ) -> int | None:
        """Store the pending facts with the head, in one transaction whatever their
        number (an import is all or nothing); then snapshot if due.

        ``foreign`` facts (other origins' journals, stored verbatim) go first, with
        this journal's facts, which record their receipt; ``requests`` are the
        Idempotency-Keys answered by these facts. Returns the notification id of the
        last fact stored.
        """
        pending = [*foreign, *journal.collect_events()]
        try:
            last_id = self._insert(pending, Tracking(HEAD, journal.version), requests)
        except IntegrityError:
            self._forget(journal)
            raise ConcurrentWriteError(
                f"another process recorded at node {self.node} meanwhile; "
                f"nothing was recorded, please retry"
            ) from None
        except BaseException:
            self._forget(journal)
            raise
        if self.repository.cache is not None:
            self.repository.cache.put(journal.id, journal)
        if journal.version // self.snapshot_interval > before // self.snapshot_interval:
            assert self.snapshots is not None
            self.snapshots.put([Journal.Snapshot.take(journal)])
        return last_id

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

    def _forget(self, journal: Journal) -> None:
        """Drop a journal whose in-memory state may differ from the store."""
        journal.collect_events()
        if self.repository.cache is not None:
            with contextlib.suppress(KeyError):
                self.repository.cache.get(journal.id, evict=True)

    # Queries.

    def is_open(self) -> bool:
        """True once the genesis fact is stored."""
        return bool(self.recorder.select_events(self.journal_id, limit=1))

    def head(self) -> Head:
        """The node's current head."""
        journal = self.journal()
        return Head(self.node.value, journal.version, journal.head_hash)

    def facts(self, after: int = 0, limit: int | None = None) -> Iterator[Fact]:
        """This node's facts in seq order, after ``after``."""
        count = 0
        while limit is None or count < limit:
            page = PAGE if limit is None else min(PAGE, limit - count)
            events = list(self.events.get(self.journal_id, gt=after, limit=page))
            for event in events:
                assert isinstance(event, Fact)
                yield event
            if len(events) < page:
                return
            after, count = events[-1].originator_version, count + len(events)

    def fact(self, seq: int) -> Fact | None:
        """One fact by seq."""
        found = list(self.events.get(self.journal_id, gt=seq - 1, lte=seq))
        return found[0] if found and isinstance(found[0], Fact) else None

    def organization(self, ref: str) -> tuple[OrgState, list[Fact]]:
        """An organization's current state and every fact about it, by any reference."""
        journal = self.journal()
        org_id = journal.resolve(ref.strip())
        if org_id is None or org_id not in journal.orgs:
            raise UnknownOrganizationError(
                f"organization {ref!r} is unknown at node {self.node}"
            )
        org = journal.orgs[org_id]
        found = [self.fact(seq) for seq in org["facts"]]
        return org, [f for f in found if f is not None]

    def registry(self) -> list[OrgState]:
        """Every organization this node's own journal knows, by name."""
        return sorted(
            self.journal().orgs.values(), key=lambda o: (o["name"], o["org_id"])
        )

    def subsidies(self, *, live_only: bool = True) -> list[SubsidyState]:
        """This node's subsidy decisions (by default only those not revoked), by seq."""
        found = self.journal().subsidies.values()
        return sorted(
            (s for s in found if s["live"] or not live_only), key=lambda s: s["seq"]
        )

    def node_name(self) -> str:
        """The node's name, as its genesis fact announced."""
        return self.journal().node_name

    def verify(self, witness: Witness | None = None) -> VerifyReport:
        """Recompute the chain from stored rows; compare it with the recorded head,
        the parent's witnessed head and the latest stored snapshot."""
        # The key comes from the stored genesis fact: a tampered journal may not load.
        first = next(self.stored_rows(self.journal_id), None)
        key = getattr(first.fact, "public_key", None) if first else None
        checker = ChainChecker(
            self.node.value, key=key, verifier=self.verifier, witness=witness
        )
        # The head first: rows saved while we walk lie past it and are left out.
        recorded = self.process_recorder.max_tracking_id(HEAD)
        snapshot = SnapshotCheck(*self._latest_snapshot())
        checker.check_all(snapshot.rows(self.stored_rows(self.journal_id)), recorded)
        report = checker.finish(
            recorded, lambda: self.process_recorder.max_tracking_id(HEAD)
        )
        problem = snapshot.problem()
        if problem is not None:
            report.problems.append(problem)
        return report

    def _latest_snapshot(self) -> tuple[int, bytes | None]:
        assert self.snapshots is not None
        assert isinstance(self.mapper, FactMapper)
        found = self.snapshots.recorder.select_events(
            self.journal_id, desc=True, limit=1
        )
        if not found:
            return 0, None
        try:
            return found[0].originator_version, self.mapper.plain_state(found[0])
        except Exception:  # undecryptable or undecompressable: evidence, not a crash
            return found[0].originator_version, b""

    def stored_rows(self, originator_id: UUID) -> Iterator[StoredFact]:
        """One journal's stored rows, decoded for verification, in seq order."""
        after = 0
        while True:
            rows = self.recorder.select_events(originator_id, gt=after, limit=PAGE)
            for stored in rows:
                yield self._decode(stored)
            if len(rows) < PAGE:
                return
            after = rows[-1].originator_version

    def stored_hash(self, node: str, seq: int) -> str | None:
        """The hash this node holds for (node, seq), if any."""
        found = self.recorder.select_events(
            journal_id(NodeCode(node)), gt=seq - 1, lte=seq
        )
        return self.decode(found[0]).hash if found else None

    def document(self, stored: StoredEvent) -> dict[str, Any]:
        """A stored fact's wire document, as stored (a feed serves it as it is)."""
        assert isinstance(self.mapper, FactMapper)
        document: dict[str, Any] = orjson.loads(self.mapper.plain_state(stored))
        return document

    def decode(self, stored: StoredEvent) -> Fact:
        """A stored row as a fact (raises if it does not decode)."""
        fact = self.mapper.to_domain_event(stored)
        assert isinstance(fact, Fact)
        return fact

    def _decode(self, stored: StoredEvent) -> StoredFact:
        seq = stored.originator_version
        try:
            fact = self.mapper.to_domain_event(stored)
            if not isinstance(fact, Fact):
                return StoredFact(seq, None, f"not a fact: {stored.topic}")
            if set(vars(fact)) != {f.name for f in dataclasses.fields(fact)}:
                return StoredFact(seq, None, "its fields differ from its type's fields")
            # The one stored field the hash does not cover: it must name our aggregate.
            if getattr(fact, "originator_topic", JOURNAL_TOPIC) != JOURNAL_TOPIC:
                return StoredFact(
                    seq, None, "its originator_topic is not the Journal's"
                )
            fact.canonical()  # every field must have its canonical form
            again = self.mapper.to_stored_event(fact)
        except Exception as error:  # any decoding failure is evidence, not a crash
            return StoredFact(seq, None, f"{type(error).__name__}: {str(error)[:120]}")
        exact = again.state == bytes(stored.state) and again.topic == stored.topic
        return StoredFact(seq, fact, reencodes_exactly=exact)

    def journal(self) -> Journal:
        """This node's journal (cached; callers must not mutate it outside the lock)."""
        try:
            with self.write_lock:  # a server's threads must not see a half-applied fact
                journal: Journal = self.repository.get(
                    self.journal_id, projector_func=replay
                )
        except AggregateNotFoundError:
            raise NodeNotFoundError(
                f"node {self.node} has no ledger here; "
                f"run `tierledger init {self.node}`"
            ) from None
        assert isinstance(journal, Journal)
        return journal

"""What a node's ledger answers: its head, its facts, its organizations, and its
stored rows decoded for verification."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import ProcessRecorder

from domain.codes import NodeCode
from domain.errors import NodeNotFoundError, UnknownOrganizationError
from domain.fact_types.organization_filed import filing_details
from domain.facts import JOURNAL_TOPIC, Fact
from domain.identity import journal_id
from domain.journal import Journal
from domain.messages import Text
from domain.receipts import Head
from domain.snapshot_check import SnapshotCheck
from domain.state import OrgRecord
from domain.stored_form import FactMapper
from domain.verify import ChainChecker, StoredFact, VerifyReport

if TYPE_CHECKING:
    import threading
    from collections.abc import Iterable, Iterator

    from eventsourcing.persistence import StoredEvent

    from domain.ports import Verifier
    from domain.state import OrgState, SubsidyState
    from domain.witness import Witness

HEAD = "head"
"""Tracking name under which each save records the journal's last seq."""
PAGE = 1000


def replay(journal: Journal | None, facts: Iterable[Any]) -> Journal | None:
    """Apply stored facts (or a snapshot) in order: the library's projector, minus a
    runtime Protocol check per event that costs more than applying the fact."""
    for fact in facts:
        journal = fact.mutate(journal)
    return journal


class LedgerReads(Application[UUID]):
    """The queries of a node's ledger (``domain.application.Ledger`` records)."""

    node: NodeCode
    journal_id: UUID
    verifier: Verifier | None
    write_lock: threading.RLock

    @property
    def process_recorder(self) -> ProcessRecorder:
        """The recorder, typed as the process recorder it is."""
        assert isinstance(self.recorder, ProcessRecorder)
        return self.recorder

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

    def organization(self, ref: str) -> tuple[OrgRecord, list[Fact]]:
        """An organization's current state and every fact about it, by any reference."""
        journal = self.journal()
        org_id = journal.resolve(ref.strip())
        if org_id is None or org_id not in journal.orgs:
            raise UnknownOrganizationError(
                Text(
                    "organization {ref} is unknown at node {node}",
                    ref=repr(ref),
                    node=self.node,
                )
            )
        org = journal.orgs[org_id]
        found = [self.fact(seq) for seq in org["facts"]]
        facts = [f for f in found if f is not None]
        return OrgRecord(**org, details=filing_details(facts)), facts

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

    def held_fact(self, node: str, seq: int) -> Fact | None:
        """The fact ``node``/``seq`` as held here (this node's own or received)."""
        found = self.recorder.select_events(
            journal_id(NodeCode(node)), gt=seq - 1, lte=seq
        )
        return self.decode(found[0]) if found else None

    def held_facts(self, node: str, seqs: Iterable[int]) -> Iterator[Fact]:
        """The facts ``node``/``seq`` held here for each of ``seqs``, in seq order,
        read a run of consecutive seqs at a time (one read, not one per fact)."""
        ordered = sorted(set(seqs))
        originator = journal_id(NodeCode(node))
        start = 0
        while start < len(ordered):
            end = start
            while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
                end += 1
            for stored in self.recorder.select_events(
                originator, gt=ordered[start] - 1, lte=ordered[end]
            ):
                yield self.decode(stored)
            start = end + 1

    def actor_of(self, node: str, seq: int) -> str | None:
        """Who recorded the fact ``node``/``seq`` held here (None: it names no one,
        or it is not held)."""
        found = self.recorder.select_events(
            journal_id(NodeCode(node)), gt=seq - 1, lte=seq
        )
        actor = self.document(found[0]).get("actor") if found else None
        return actor if isinstance(actor, str) else None

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
                not_fact = Text("not a fact: {topic}", topic=stored.topic)
                return StoredFact(seq, None, not_fact)
            if set(vars(fact)) != {f.name for f in dataclasses.fields(fact)}:
                odd = Text("its fields differ from its type's fields")
                return StoredFact(seq, None, odd)
            # The one stored field the hash does not cover: it must name our aggregate.
            if getattr(fact, "originator_topic", JOURNAL_TOPIC) != JOURNAL_TOPIC:
                return StoredFact(
                    seq, None, Text("its originator_topic is not the Journal's")
                )
            fact.canonical()  # every field must have its canonical form
            again = self.mapper.to_stored_event(fact)
        except Exception as error:  # any decoding failure is evidence, not a crash
            # The library's words, in English (docs/translating.md).
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
                Text(
                    "node {node} has no ledger here; run `tierledger init {node}`",
                    node=self.node,
                )
            ) from None
        assert isinstance(journal, Journal)
        return journal

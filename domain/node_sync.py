"""A node's side of upward sync: enrol, checkpoint, ingest, serve its feed, report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from domain.codes import NodeCode
from domain.errors import InvalidFieldError, MalformedFactError, NoSigningKeyError
from domain.fact_types.batch_received import BatchReceived
from domain.feed import FeedPage, covered_page
from domain.identity import journal_id
from domain.messages import Text
from domain.replication import MAX_BATCH, BatchChecker
from domain.sync_records import fork_error, fork_payload, receipt_payloads
from domain.values import today_in_china, utc_instant
from domain.verify import ChainChecker, VerifyReport
from domain.wire import to_document
from domain.witness import Witness

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from domain.application import Ledger
    from domain.ingest_plan import IngestPlan
    from domain.journal import Journal
    from domain.ports import Signer, Verifier
    from domain.receipts import Receipt
    from domain.witness import WitnessBook


@dataclass(frozen=True)
class IngestReport:
    """What one batch changed: new facts per origin, and duplicates skipped."""

    source: str
    new: dict[str, tuple[int, int]]
    duplicates: int
    feed_position: int
    behind: bool = False
    """The source signed a head past what this node holds (its feed was reset?)."""
    witness: Witness | None = None
    """This node's signed receipt for what it holds of the source's journal."""

    @property
    def new_count(self) -> int:
        """How many facts were stored."""
        return sum(to - first + 1 for first, to in self.new.values())


@dataclass
class OriginStatus:
    """What this node holds of one origin's journal."""

    origin: str
    seq: int
    hash: str
    signed_seq: int
    via: str
    last_contact: str
    direct_child: bool
    enrolled: bool
    reported_head: int | None = None

    @property
    def lag(self) -> int | None:
        """Facts the origin had at last contact that this node does not hold yet."""
        return (
            None
            if self.reported_head is None
            else max(self.reported_head - self.seq, 0)
        )


@dataclass
class SyncStatus:
    """Per-origin holdings and open fork reports."""

    origins: list[OriginStatus] = field(default_factory=list)
    forks: list[dict[str, Any]] = field(default_factory=list)


class NodeSync:
    """Upward sync for one node's ledger."""

    def __init__(
        self,
        ledger: Ledger,
        verifier: Verifier,
        signer: Signer | None = None,
        witnesses: WitnessBook | None = None,
    ):
        self.ledger, self.verifier, self.signer = ledger, verifier, signer
        self.witnesses = witnesses
        # Own facts are signed at least every CHECKPOINT_EVERY facts, so that any
        # stretch of the feed can end on a signed head.
        ledger.signer = ledger.signer or signer

    def enroll(
        self, child: str, public_key: str, *, actor: str | None = None
    ) -> Receipt:
        """Record ChildEnrolled: this node trusts a direct child's key (``actor``:
        the operator who does)."""
        from domain.receipts import Receipt

        with self.ledger.write_lock:
            journal = self.ledger.journal()
            before = journal.version
            fingerprint = self.verifier.fingerprint(public_key)
            fact = journal.enroll(child, public_key, fingerprint, _today(), actor)
            self.ledger.store(journal, before)
            return Receipt.of(fact)

    def checkpoint(self, *, force: bool = False) -> int | None:
        """Sign the head if facts were recorded since the last checkpoint; its seq."""
        if self.signer is None:
            raise NoSigningKeyError(
                Text("node {node} has no private key here", node=self.ledger.node)
            )
        with self.ledger.write_lock:
            journal = self.ledger.journal()
            if not (force or journal.needs_checkpoint()):
                return None
            before = journal.version
            fact = journal.checkpoint(self.signer, _today())
            self.ledger.store(journal, before)
            return fact.seq

    def ingest(
        self,
        source: str,
        documents: Sequence[object],
        *,
        transport: str,
        feed_position: int,
        source_head: int = 0,
        signed_head: object = None,
    ) -> IngestReport:
        """Check and store a batch from ``source`` atomically, with its receipt.

        ``signed_head`` (the source's latest checkpoint) is compared with what is
        held after the batch: another hash there is a fork, like a re-offered seq.
        """
        via = NodeCode.parse(source)
        if len(documents) > MAX_BATCH:
            raise MalformedFactError(
                Text("a batch holds at most {limit} facts", limit=MAX_BATCH)
            )
        with self.ledger.write_lock:
            journal = self.ledger.journal()
            checker = BatchChecker(
                self.ledger.node, via, journal, self.verifier, self.ledger.stored_hash
            )
            plan = checker.check(documents)
            behind = plan.fork is None and signed_head is not None
            behind = behind and checker.check_head(signed_head)
            if plan.fork is not None:
                self._keep_fork_evidence(journal, plan, via.value)
                raise fork_error(plan.fork)
            self._store(
                journal, plan, via.value, transport, (feed_position, source_head)
            )
            witness = self._witness(journal, via.value)
        new = {o: (p.first_new, p.seq) for o, p in plan.origins.items() if p.new}
        return IngestReport(
            via.value, new, plan.duplicates, feed_position, behind, witness
        )

    def _store(
        self,
        journal: Journal,
        plan: IngestPlan,
        via: str,
        transport: str,
        position: tuple[int, int],
    ) -> None:
        if not plan.new_facts:
            return
        before = journal.version
        for payload in receipt_payloads(plan, via, transport, *position):
            journal.receive(payload)
        if self.signer is not None:
            # The batch ends on this node's own signed head: its feed can be cut here.
            journal.checkpoint(self.signer, _today())
        self.ledger.store(journal, before, foreign=plan.new_facts)

    def _witness(self, journal: Journal, source: str) -> Witness | None:
        held = journal.origins.get(source)
        if self.signer is None or not held:
            return None
        now = utc_instant(datetime.now(UTC))
        head = (held["seq"], held["hash"])
        return Witness.sign(self.signer, self.ledger.node.value, source, head, now)

    def keep_witness(self, witness: Witness) -> None:
        """Keep the parent's receipt for this node's journal (outside its store)."""
        if witness.child != self.ledger.node.value:
            raise InvalidFieldError(
                Text(
                    "the receipt is for {child}, not {node}",
                    child=witness.child,
                    node=self.ledger.node,
                ),
                field="witness",
            )
        parent = self.ledger.node.parent
        if parent is None or witness.parent != parent.value:
            raise InvalidFieldError(
                Text(
                    "the receipt is signed by {parent}, not this node's parent",
                    parent=witness.parent,
                ),
                field="witness",
            )
        if not witness.verifies(self.verifier):
            raise InvalidFieldError(
                Text("the receipt's signature does not verify"), field="witness"
            )
        if self.witnesses is not None:
            self.witnesses.keep(witness)

    def _keep_fork_evidence(self, journal: Journal, plan: IngestPlan, via: str) -> None:
        assert plan.fork is not None
        if f"{plan.fork.origin}:{plan.fork.seq}" in journal.forks:
            return  # already on record, still open
        before = journal.version
        journal.detect_fork(fork_payload(plan.fork, via))
        self.ledger.store(journal, before)

    def resolve_fork(
        self, origin: str, at_seq: int, note: str, *, actor: str | None = None
    ) -> Receipt:
        """Close a fork report (``actor``: the operator who looked into it)."""
        from domain.receipts import Receipt

        with self.ledger.write_lock:
            journal = self.ledger.journal()
            before = journal.version
            fact = journal.resolve_fork(
                NodeCode.parse(origin).value, at_seq, note, _today(), actor
            )
            self.ledger.store(journal, before)
            return Receipt.of(fact)

    def feed(self, after: int = 0, limit: int = 500) -> FeedPage:
        """This node's facts and every descendant fact it holds, in arrival order,
        in a page that ends where every origin in it ends on its own signed head."""
        limit = max(1, min(limit, MAX_BATCH))
        facts, position = covered_page(self._read, after, limit)
        head = self.ledger.head()
        return FeedPage(
            head.node, facts, position, head.seq, head.hash, self.signed_head()
        )

    def signed_head(self) -> dict[str, Any] | None:
        """This node's latest checkpoint, as a fact document."""
        signed = self.ledger.fact(self.ledger.journal().last_checkpoint)
        return to_document(signed) if signed is not None else None

    def _read(self, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
        notifications = self.ledger.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        return [(n.id, self.ledger.document(n)) for n in notifications]

    def cursor(self, source: str) -> int:
        """Where this node's copy of ``source``'s feed ends (for pushes)."""
        return self.ledger.journal().feed_positions.get(NodeCode.parse(source).value, 0)

    def status(self) -> SyncStatus:
        """Per-origin holdings, last contact and lag; open forks."""
        journal = self.ledger.journal()
        found = SyncStatus(forks=list(journal.forks.values()))
        for origin, held in sorted(journal.origins.items()):
            found.origins.append(
                OriginStatus(
                    origin=origin,
                    seq=held["seq"],
                    hash=held["hash"],
                    signed_seq=held["signed_seq"],
                    via=held["via"],
                    last_contact=held["at"],
                    direct_child=origin in journal.children,
                    enrolled=origin in journal.keys,
                    reported_head=held.get("reported_head"),
                )
            )
        for child in sorted(set(journal.children) - set(journal.origins)):
            found.origins.append(OriginStatus(child, 0, "", 0, "", "never", True, True))
        return found

    def verify_all(self) -> dict[str, VerifyReport]:
        """Verify this node's journal and every origin's journal it holds."""
        witness = self.witnesses.latest() if self.witnesses else None
        own = self.ledger.verify(witness)
        reports = {self.ledger.node.value: own}
        if not own.ok:
            return reports  # the node's own state cannot be trusted to list the rest
        journal = self.ledger.journal()
        for origin, held in sorted(journal.origins.items()):
            checker = ChainChecker(
                origin, key=journal.keys.get(origin), verifier=self.verifier
            )
            rows = self.ledger.stored_rows(journal_id(NodeCode(origin)))
            checker.check_all(rows, held["seq"])
            reports[origin] = checker.finish(held["seq"], self._held_now(origin))
        return reports

    def _held_now(self, origin: str) -> Callable[[], int]:
        return lambda: int(self.ledger.journal().origins[origin]["seq"])

    def known_at(self, instant: str) -> dict[str, int]:
        """The last seq of each origin this node held at ``instant`` (UTC ISO text)."""
        known: dict[str, int] = {}
        for fact in self.ledger.facts():
            if fact.recorded_at > instant:
                continue  # clocks may step back: look at every receipt
            if isinstance(fact, BatchReceived):
                known[fact.origin] = max(known.get(fact.origin, 0), fact.to_seq)
        return known


def _today() -> str:
    return today_in_china().isoformat()

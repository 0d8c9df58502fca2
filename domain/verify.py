"""Verification of a journal's stored facts against its hash chain and head."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from domain.canonical import GENESIS_HASH
from domain.fact_types.checkpoint import Checkpoint
from domain.fact_types.ledger_opened import LedgerOpened
from domain.facts import SPAN_DIGITS, Fact
from domain.messages import Text

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from domain.ports import Verifier
    from domain.witness import Witness

MAX_PROBLEMS = 100


@dataclass(frozen=True)
class Problem:
    """One defect found in a journal, located by seq."""

    seq: int
    reason: Text

    @property
    def text(self) -> Text:
        """The problem as a person reads it, in whichever language it is shown."""
        return Text("seq {seq}: {reason}", seq=self.seq, reason=self.reason)

    def __str__(self) -> str:
        # English: what reports, the API and the chain status store keep.
        return str(self.text)


@dataclass
class StoredFact:
    """A stored row as verification sees it: its seq and what decoding gave."""

    seq: int
    fact: Fact | None
    decode_error: Text | str | None = None
    """Why it does not decode: ours as a message, a library's in its English."""
    reencodes_exactly: bool = True


@dataclass
class VerifyReport:
    """The outcome of verifying one node's journal."""

    node: str
    checked: int = 0
    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    signed_seq: int = 0
    """The last seq covered by a checkpoint that verified."""
    witnessed_seq: int = 0
    """The seq the parent's latest receipt vouches for (0: none kept)."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def summary(self) -> Text:
        """One line for the CLI; ``ok:`` and ``TAMPERED:`` stay as they are in every
        language (scripts look for them)."""
        if not self.ok:
            return Text(
                "TAMPERED: node {node}: {problem} ({count} problem(s))",
                node=self.node,
                problem=self.problems[0].text,
                count=len(self.problems),
            )
        values = {
            "node": self.node,
            "checked": self.checked,
            "seq": self.last_seq,
            "hash": self.last_hash[:16] + "…",
            "signed": self.signed_seq,
        }
        if self.witnessed_seq:
            return Text(
                "ok: node {node}, {checked} facts, chain intact, head seq {seq} "
                "{hash}, signed up to seq {signed}, witnessed up to seq {witnessed}",
                witnessed=self.witnessed_seq,
                **values,
            )
        return Text(
            "ok: node {node}, {checked} facts, chain intact, head seq {seq} {hash}, "
            "signed up to seq {signed}",
            **values,
        )


class ChainChecker:
    """Walks stored facts in seq order and records every break it sees."""

    def __init__(
        self,
        node: str,
        *,
        key: str | None = None,
        verifier: Verifier | None = None,
        witness: Witness | None = None,
    ) -> None:
        self.report = VerifyReport(node)
        self._key, self._verifier, self._witness = key, verifier, witness
        self._expected = 1
        self._prev: str | None = GENESIS_HASH
        self._witnessed_hash: str | None = None
        self._since: list[tuple[int, str]] = []
        self._beyond: int | None = None

    def check_all(self, rows: Iterable[StoredFact], upto: int | None = None) -> None:
        """Check rows given in ascending stored-seq order, up to the head recorded
        when verification began (rows past it may be a save that is still going on)."""
        for row in rows:
            if upto is not None and row.seq > upto:
                self._beyond = row.seq
                return
            self.check(row)

    def check(self, row: StoredFact) -> None:
        """Check one row against the one before it."""
        if row.seq != self._expected:
            self._add(
                self._expected,
                Text("missing (the next stored fact is seq {next})", next=row.seq),
            )
            self._prev = None
        self._expected = row.seq + 1
        self.report.checked += 1
        self.report.last_seq = row.seq
        fact = row.fact
        if fact is None:
            self._add(
                row.seq,
                Text("stored fact cannot be decoded: {error}", error=row.decode_error),
            )
            self._prev = None
            return
        self._check_fact(row, fact)
        self._prev = fact.hash
        self.report.last_hash = fact.hash

    def _check_fact(self, row: StoredFact, fact: Fact) -> None:
        if not row.reencodes_exactly:
            self._add(row.seq, Text("stored bytes differ from the fact's own encoding"))
        if fact.node != self.report.node:
            self._add(
                row.seq,
                Text(
                    "fact claims origin {claimed}, not {node}",
                    claimed=fact.node,
                    node=self.report.node,
                ),
            )
        if (row.seq == 1) != isinstance(fact, LedgerOpened):
            self._add(row.seq, Text("only seq 1 may be, and must be, LedgerOpened"))
        if self._prev is not None and fact.prev_hash != self._prev:
            self._add(row.seq, Text("prev_hash does not link to the previous fact"))
        if isinstance(fact, Checkpoint):
            self._check_checkpoint(fact)
            self._since = []
        else:
            self._since.append((row.seq, fact.hash))
        if self._witness is not None and row.seq == self._witness.seq:
            self._witnessed_hash = fact.hash
        if fact.recomputed_hash() != fact.hash:
            self._add(
                row.seq,
                Text(
                    "hash does not match the fact's content "
                    "(payload, type, seq or timestamp altered)"
                ),
            )

    def _check_checkpoint(self, fact: Checkpoint) -> None:
        signed = self.report.signed_seq
        bound = fact.signed_seq == fact.seq - 1 and fact.signed_hash == fact.prev_hash
        if self._verifier and self._key and fact.verifies(self._key, self._verifier):
            changed = self._first_changed(fact)
            if changed is not None:
                self._add(
                    changed,
                    Text(
                        "changed after it was signed: the checkpoint at seq "
                        "{checkpoint} signed another hash for this fact (and the "
                        "hashes after it were recomputed)",
                        checkpoint=fact.seq,
                    ),
                )
            elif not bound:
                unbound = Text("the checkpoint does not sign the fact before it")
                self._add(fact.seq, unbound)
            else:
                self.report.signed_seq = fact.seq
        elif not bound:
            self._add(
                signed + 1,
                Text(
                    "rewritten after it was signed: the checkpoint at seq "
                    "{checkpoint} vouches for another hash at seq {before}, so a "
                    "fact in seq {first}–{before} was changed",
                    checkpoint=fact.seq,
                    before=fact.seq - 1,
                    first=signed + 1,
                ),
            )
        elif self._verifier and self._key:
            self._add(
                signed + 1,
                Text(
                    "the checkpoint at seq {checkpoint} does not verify against the "
                    "node's key: it, or a fact in seq {first}–{before}, was changed "
                    "after it was signed",
                    checkpoint=fact.seq,
                    first=signed + 1,
                    before=fact.seq - 1,
                ),
            )

    def _first_changed(self, fact: Checkpoint) -> int | None:
        """The first fact since the previous checkpoint whose hash is not the one
        this checkpoint signed (None when all are)."""
        since, spanned = self._since, fact.spanned()
        for (seq, fact_hash), prefix in zip(since, spanned, strict=False):
            if fact_hash[:SPAN_DIGITS] != prefix:
                return seq
        if len(since) > len(spanned):
            return since[len(spanned)][0]
        return fact.seq if len(since) < len(spanned) else None

    def finish(
        self,
        recorded_head: int | None,
        head_now: Callable[[], int | None] | None = None,
    ) -> VerifyReport:
        """Compare the walked chain with the head recorded at each append and with
        the parent's witnessed head; a row past the head is written outside the
        ledger unless the head, read again (``head_now``), has reached it since."""
        self._check_witness()
        self.report.problems.sort(key=lambda p: p.seq)
        last = self.report.last_seq
        if self._beyond is not None:
            now = head_now() if head_now is not None else recorded_head
            if now is None or now < self._beyond:
                self._add(self._beyond, _outside(now))
            return self.report
        if recorded_head is not None and recorded_head > last:
            self._add(
                last + 1,
                Text(
                    "missing: the recorded head is seq {head} "
                    "but the journal ends at seq {last}",
                    head=recorded_head,
                    last=last,
                ),
            )
        elif recorded_head is not None and recorded_head < last:
            self._add(recorded_head + 1, _outside(recorded_head))
        return self.report

    def _check_witness(self) -> None:
        witness, last = self._witness, self.report.last_seq
        if witness is None:
            return
        self.report.witnessed_seq = witness.seq
        if self._verifier is not None and not witness.verifies(self._verifier):
            self._add(witness.seq, Text("the parent's witness receipt does not verify"))
        elif last < witness.seq:
            self._add(
                last + 1,
                Text(
                    "missing: {parent} witnessed this journal up to seq {seq} on "
                    "{day}, it now ends at seq {last} (facts deleted, or an older "
                    "backup restored)",
                    parent=witness.parent,
                    seq=witness.seq,
                    day=witness.at[:10],
                    last=last,
                ),
            )
        elif self._witnessed_hash != witness.hash:
            self._add(
                witness.seq,
                Text(
                    "rewritten: {parent} witnessed another hash at seq {seq} on {day}",
                    parent=witness.parent,
                    seq=witness.seq,
                    day=witness.at[:10],
                ),
            )

    def _add(self, seq: int, reason: Text) -> None:
        if len(self.report.problems) < MAX_PROBLEMS:
            self.report.problems.append(Problem(seq, reason))


def _outside(head: int | None) -> Text:
    return Text(
        "written outside the ledger: the recorded head is seq {head}", head=head
    )

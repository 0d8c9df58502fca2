"""Keeping a node's views up to date, exactly once.

Each step takes the next range of the ledger's notification log and, in one view
transaction, fills the tables from it in SQL (``projections.extract``), applies its
revocations and corrections in order, and records the range's end as the view's
tracking position. A crash anywhere rolls the step back whole; the next run redoes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson
from eventsourcing.persistence import Tracking

from domain.stored_form import FactMapper
from projections import subsidy_days
from projections.tables import CHANGES, TABLES, table_of, version
from projections.view import TRACKING_NAME

if TYPE_CHECKING:
    from collections.abc import Iterator

    from domain.application import Ledger
    from projections.tables import Row
    from projections.view import LedgerView, ViewTransaction

STEP = 50_000
"""Notification positions per transaction when catching up."""
STAGES = len(TABLES) + 4
"""Steps of a rebuild: each table, arrivals, policies, the indexes, the revisions."""
Progress = Callable[[int], None]


class Reviser:
    """Applies one revocation or correction: a new version of the fact it names."""

    def __init__(
        self, txn: ViewTransaction, pos: int, document: dict[str, Any]
    ) -> None:
        self.txn, self.pos = txn, pos
        self.origin, self.org_id = document["node"], document["payload"]["org_id"]

    def apply(self, document: dict[str, Any]) -> None:
        """Revise what a SubsidyRevoked or FactCorrected document names."""
        payload = document["payload"]
        if document["type"] == "SubsidyRevoked":
            day = payload["effective_on"]
            self.revise(payload["decision_seq"], 1, {"revoked_on": day})
            return
        replacement = payload["replacement"]
        revised = self.revise(payload["corrects_seq"], 1, replacement)
        if revised is not None and table_of(revised[0]) is CHANGES:
            # A corrected revocation date moves the revoked decision's too.
            decision, day = revised[-1], replacement.get("effective_on")
            if day is not None and decision is not None:
                self.revise(decision, 2, {"revoked_on": day})

    def revise(self, seq: int, kind: int, changes: dict[str, Any]) -> Row | None:
        """A new version of fact ``seq`` of this origin; the open one is closed."""
        old = self.txn.open_version(self.org_id, self.origin, seq)
        if old is None:
            return None  # the view never held it: nothing to revise
        table = table_of(old[0])
        self.txn.close_version(table, old[0], self.pos)
        fresh = version(old, self.pos, kind, changes)
        self.txn.insert(table, fresh)
        return fresh


class ViewProcessor:
    """Follows one ledger's notification log into its views."""

    def __init__(self, ledger: Ledger, view: LedgerView) -> None:
        self.ledger, self.view = ledger, view
        self.indexed = False
        """Whether this process has made sure the view's indexes are the ones
        defined now (an upgrade may change them; a died rebuild may lack them)."""
        mapper = ledger.mapper
        if not isinstance(mapper, FactMapper) or mapper.cipher or mapper.compressor:
            raise ValueError(
                "views read stored fact documents in SQL: an encrypted or "
                "compressed store cannot have them"
            )

    def catch_up(self, progress: Progress | None = None) -> int:
        """Process every notification after the view's position; how many."""
        done, after = 0, self.view.position()
        while True:
            with self.view.transaction() as txn:
                if not self.indexed:  # a new version may define other indexes
                    txn.create_indexes()
                    self.indexed = True
                last = min(txn.last_position(), after + STEP)
                if last <= after:
                    return done
                self._step(txn, after, last)
            done, after = done + last - after, last
            if progress:
                progress(done)

    def rebuild(self, progress: Progress | None = None) -> int:
        """Forget the views and process the whole log again, in one transaction:
        the tables fill without secondary indexes, which are then built once.
        ``progress`` hears of each of the ``STAGES`` done."""
        self.indexed = False  # until the rebuild has built them
        self.view.clear()
        with self.view.rebuild_transaction() as txn:
            last = txn.last_position()
            self._step(txn, 0, last, rebuild=True, progress=progress)
        self.indexed = True
        self.view.after_rebuild()
        return last

    def _step(
        self,
        txn: ViewTransaction,
        after: int,
        last: int,
        rebuild: bool = False,
        progress: Progress | None = None,
    ) -> None:
        stages = iter(range(1, STAGES + 1))
        for _ in txn.extract(after, last, self.ledger.journal_id):
            _report(progress, stages)
        if rebuild:
            txn.create_indexes()  # revisions look facts up by organization
        _report(progress, stages)
        for pos, state in txn.changes(after, last):
            document = orjson.loads(state)
            Reviser(txn, pos, document).apply(document)
        days = subsidy_days.FILL if after == 0 else subsidy_days.STEP
        txn.execute(days, {"after": after, "last": last})
        txn.track(Tracking(TRACKING_NAME, last))
        _report(progress, stages)


def _report(progress: Progress | None, stages: Iterator[int]) -> None:
    done = next(stages)
    if progress:
        progress(done)

"""When a node last heard from each descendant: what keeps a finding pending.

A node has heard from a descendant *since* an instant when it holds a fact of that
descendant's journal recorded at or after it. Journals arrive in seq order, so it then
holds everything the descendant recorded before, too. How far the node held each
origin is in its own journal (its receipts), read as it stood at the point asked
about: a ``--known-at`` question is judged by what the node had heard by then.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from domain.codes import NodeCode
from domain.identity import journal_id
from domain.ledger_reads import replay

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from domain.application import Ledger
    from domain.journal import Journal
    from projections.view import LedgerView, Point

LAST_OWN = "SELECT MAX(pos) FROM {view_arrivals} WHERE pos <= :p"


class Hearing:
    """Which descendants a node had heard from at a point, and when last."""

    def __init__(
        self,
        held: Callable[[], dict[str, int]],
        stamp: Callable[[str, int], str],
    ) -> None:
        self._held, self._stamp = held, stamp
        self._last: dict[str, str] = {}

    @classmethod
    def at(cls, ledger: Ledger, view: LedgerView, point: Point) -> Hearing:
        """As the node stood at ``point`` (read when a finding first asks)."""
        return cls(
            lambda: _held(ledger, _journal_at(ledger, view, point.pos)),
            lambda origin, seq: _recorded_at(ledger, origin, seq),
        )

    @cached_property
    def held(self) -> dict[str, int]:
        """Each descendant the node knows of -> the last seq of it held (0: none)."""
        return self._held()

    def below(self, origin: str) -> list[str]:
        """The descendants of ``origin`` this node knows of."""
        return sorted(c for c in self.held if c != origin and c.startswith(origin))

    def last(self, code: str) -> str:
        """When ``code`` recorded the latest fact held of it ("" if none is)."""
        if code not in self._last:
            seq = self.held.get(code, 0)
            self._last[code] = self._stamp(code, seq) if seq else ""
        return self._last[code]

    def silent(
        self, origin: str, since: str, toward: Collection[str] | None = None
    ) -> list[str]:
        """Descendants of ``origin`` not heard from at or after ``since`` — only
        those on the way down to a ``toward`` node, when it is known where the
        awaited fact would be recorded."""
        return [
            code
            for code in self.below(origin)
            if (toward is None or any(t.startswith(code) for t in toward))
            and self.last(code) < since
        ]


def _held(ledger: Ledger, journal: Journal | None) -> dict[str, int]:
    """The node's own children and the deeper nodes they enrolled, with how far
    ``journal`` held each."""
    node = ledger.node.value
    if journal is None:
        return {}
    return {
        code: int(journal.origins.get(code, {}).get("seq", 0))
        for code in journal.keys
        if code != node and code.startswith(node)
    }


def _journal_at(ledger: Ledger, view: LedgerView, pos: int) -> Journal | None:
    """The node's journal as of its last own fact at or before position ``pos``."""
    found = view.fetch(LAST_OWN, {"p": pos})
    own = found[0][0] if found else None
    if not own:
        return None
    version = ledger.recorder.select_notifications(int(own), 1)[0].originator_version
    journal = ledger.journal()
    if version >= journal.version:
        return journal
    past: Journal = ledger.repository.get(
        ledger.journal_id, version=version, projector_func=replay
    )
    return past


def _recorded_at(ledger: Ledger, origin: str, seq: int) -> str:
    """When ``origin`` recorded its fact ``seq``, as stored here."""
    rows = ledger.recorder.select_events(
        journal_id(NodeCode(origin)), gt=seq - 1, lte=seq
    )
    return str(ledger.document(rows[0])["recorded_at"]) if rows else ""

"""What the last verification of each chain found, kept beside the node's views.

Verifying reads every fact (seconds for a million), so a view read does not verify:
it reads this small record, which every verification writes (``audit verify``, a
rebuild, a server's start). It lives in the views' store outside the tables a
rebuild drops, and on PostgreSQL it is logged: a crash must not forget a break.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.messages import Text, text_data, text_of_data, untranslated

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from domain.verify import VerifyReport
    from projections.view import LedgerView

TABLE = "chain_status"
"""Not ``view_``-prefixed: no rebuild, emptying or unlogging of the views touches it."""
COLUMNS = "origin TEXT PRIMARY KEY, seq BIGINT, reason TEXT, checked_at TEXT NOT NULL"
"""One row per origin: the seq and reason of the first problem its last verification
found (both NULL when its chain was intact), and when that verification began. The
reason is a message as JSON (``text_data``); rows kept before hold English text."""
_KEEP = (
    "INSERT INTO {table} AS s (origin, seq, reason, checked_at) "
    "VALUES (:origin, :seq, :reason, :at) ON CONFLICT (origin) DO UPDATE "
    "SET seq = excluded.seq, reason = excluded.reason, "
    "checked_at = excluded.checked_at WHERE s.checked_at <= excluded.checked_at"
)
"""Per origin, the verification begun last wins, whichever finished last (a
server's start-up verification may end after an auditor's later one)."""
_BROKEN = (
    "SELECT origin, seq, reason, checked_at FROM {table} "
    "WHERE seq IS NOT NULL ORDER BY origin"
)


def create_statement(name: str) -> str:
    """CREATE TABLE of the record (``name``: as the store qualifies it)."""
    return f"CREATE TABLE IF NOT EXISTS {name} ({COLUMNS})"


@dataclass(frozen=True)
class ChainBreak:
    """Where the last verification of an origin found its chain first broken."""

    origin: str
    seq: int
    reason: Text | str
    """What was found, to show in the reader's language; English text when kept
    by a verification from before reasons were kept as messages."""
    checked_at: str
    """When that verification began (UTC ISO)."""

    def line(self, translate: Callable[[str], str] = untranslated) -> str:
        """The break as the first line of a marked answer: the marker as it always
        was, the reason in ``translate``'s language."""
        reason = self.reason
        shown = reason if isinstance(reason, str) else reason.render(translate)
        return f"链已损坏 chain broken at origin {self.origin} seq {self.seq}: {shown}"


def record(view: LedgerView, reports: Mapping[str, VerifyReport], begun: str) -> None:
    """Keep what the verification begun at ``begun`` found of each origin, in one
    transaction, except where one begun later is already kept."""
    keep = _KEEP.format(table=view.status_table)
    with view.transaction() as txn:
        for origin, report in reports.items():
            first = None if report.ok else report.problems[0]
            txn.execute(
                keep,
                {
                    "origin": origin,
                    "seq": first.seq if first else None,
                    "reason": _kept(first.reason) if first else None,
                    "at": begun,
                },
            )


def breaks(view: LedgerView) -> list[ChainBreak]:
    """The origins whose last verification found their chain broken (one query)."""
    rows = view.fetch(_BROKEN.format(table=view.status_table), {})
    return [
        ChainBreak(str(origin), _seq(seq), _shown(str(reason)), str(at))
        for origin, seq, reason, at in rows
    ]


def _seq(kept: object) -> int:
    """A kept seq; SQLite keeps whatever was written, and a break whose seq was
    edited into text is still a break (shown at seq 0)."""
    return kept if type(kept) is int else 0


def _kept(reason: Text) -> str:
    """A reason as kept: the message and its values, so each reader can be shown
    it in their own language."""
    return json.dumps(text_data(reason), ensure_ascii=False)


def _shown(kept: str) -> Text | str:
    """A kept reason as a message; one kept as plain English stays as it is."""
    try:
        return text_of_data(json.loads(kept)) or kept
    except (ValueError, RecursionError):
        return kept

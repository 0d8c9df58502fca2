"""What importing numbered facts does, row by row: would record (or recorded),
already held, conflict (same identity, other content: which fields), error (which
column, what is wrong) — for a dry run, and for a real import, all or nothing."""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from domain.errors import BatchRejectedError, DuplicateError
from domain.messages import Text
from service.sheet_rows import CellProblem

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from domain.preview import Preview
    from domain.receipts import Item, Receipt
    from infrastructure.spreadsheets.layout import Layout
    from service.node import Node
    from service.sheet_import import Plan

_ALIASES = {"grade_scheme": "grade", "scheme": "grade"}
"""Fields filled from another column's cell (a scheme from its grade)."""


class Status(enum.Enum):
    """A row's outcome."""

    RECORD = "record"
    """Would be recorded (dry run), or was."""
    HELD = "held"
    """The same fact (same identity and content) is held already: nothing new."""
    CONFLICT = "conflict"
    """A fact of the same identity is held with other content."""
    ERROR = "error"


@dataclass(frozen=True)
class Outcome:
    """One row's (or line's) outcome."""

    number: int
    sheet: str | None
    row: int
    status: Status
    seq: int | None = None
    """The seq it has (or would have); for a conflict, the fact it conflicts with."""
    problems: tuple[CellProblem, ...] = ()
    columns: tuple[str, ...] = ()
    """The headers (or input fields) of the cells concerned."""


@dataclass
class Report:
    """An import's outcomes, row by row; ``recorded`` when facts were stored."""

    outcomes: list[Outcome]
    recorded: bool = False
    counts: Counter[Status] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self.counts.update(o.status for o in self.outcomes)

    @property
    def refused(self) -> bool:
        """Whether a row is an error or a conflict."""
        return bool(self.counts[Status.ERROR] or self.counts[Status.CONFLICT])


def preview(node: Node, items: Sequence[Item], plan: Plan | None = None) -> Report:
    """What recording ``items`` would do, row by row; records nothing."""
    head = node.ledger.head().seq
    return Report(_classify(node.preview_many(items), head, plan))


def record(
    node: Node,
    items: list[Item],
    plan: Plan | None = None,
    *,
    partial: bool = False,
    progress: Callable[[int], None] | None = None,
    again: Callable[[], list[Item]] | None = None,
    actor: str,
) -> Report:
    """Record ``items`` in one transaction, naming ``actor``: all, or nothing when
    a row is bad (the report then says why, row by row); with ``partial`` the good
    ones.

    With ``again`` (which builds the items anew) the list is emptied as its items
    are handed over, so each row's data goes once checked: an import holds the
    facts it records, not the file's rows besides."""
    numbers = [number for number, _ in items]
    given = _handed_over(items) if again else items
    try:
        receipts, problems = node.record_many(
            given, partial=partial, progress=progress, actor=actor
        )
    except BatchRejectedError:
        return preview(node, again() if again else items, plan)
    bad = {number for number, _ in problems}
    good = (number for number in numbers if number not in bad)
    outcomes = [
        _done(plan, n, receipt) for n, receipt in zip(good, receipts, strict=True)
    ]
    if bad:
        head = node.ledger.head().seq
        rest = [item for item in (again() if again else items) if item[0] in bad]
        outcomes += _classify(node.preview_many(rest), head, plan)
        outcomes.sort(key=lambda o: o.number)
    new = any(not receipt.already_recorded for receipt in receipts)
    return Report(outcomes, recorded=new)


def _handed_over(items: list[Item]) -> Iterator[Item]:
    """The items in order, each let go of by the list as it is handed over."""
    items.reverse()
    while items:
        yield items.pop()


def _done(plan: Plan | None, number: int, receipt: Receipt) -> Outcome:
    sheet, row = _where(plan, number)
    status = Status.HELD if receipt.already_recorded else Status.RECORD
    return Outcome(number, sheet, row, status, receipt.seq)


def _where(plan: Plan | None, number: int) -> tuple[str | None, int]:
    if plan is None:
        return None, number
    sheet, row = plan.place(number)
    return sheet.source.name, row


def _classify(previews: list[Preview], head: int, plan: Plan | None) -> list[Outcome]:
    seqs = {p.receipt.seq: p.number for p in previews if p.receipt}
    found: list[Outcome] = []
    for p in previews:
        sheet, row = _where(plan, p.number)
        if p.receipt is not None:
            status = Status.HELD if p.receipt.already_recorded else Status.RECORD
            found.append(Outcome(p.number, sheet, row, status, p.receipt.seq))
        elif isinstance(p.error, DuplicateError):
            found.append(_conflict(p, sheet, row, head, seqs, plan))
        else:
            found.append(_error(p, sheet, row, plan))
    return found


def _error(p: Preview, sheet: str | None, row: int, plan: Plan | None) -> Outcome:
    assert p.error is not None
    layout = plan.place(p.number)[0].layout if plan else None
    problems = plan.problems.get(p.number) if plan else None
    if not problems:
        columns = columns_for(layout, p.error.field)
        problems = [CellProblem(c, p.error.text, p.error.code) for c in columns] or [
            CellProblem(None, p.error.text, p.error.code)
        ]
    names = _names(layout, [q.column for q in problems], p.error.field)
    return Outcome(p.number, sheet, row, Status.ERROR, None, tuple(problems), names)


def _conflict(
    p: Preview,
    sheet: str | None,
    row: int,
    head: int,
    seqs: dict[int, int],
    plan: Plan | None,
) -> Outcome:
    assert p.error is not None
    layout = plan.place(p.number)[0].layout if plan else None
    columns = [c for f in p.differs for c in columns_for(layout, f)]
    names = _names(layout, columns, None) if layout else p.differs
    earlier = seqs.get(p.held_seq or 0) if (p.held_seq or 0) > head else None
    if not p.differs:
        message = p.error.text
    elif earlier is not None:
        where = _where(plan, earlier)
        message = Text(
            "same identity as row {row} of this file, other content in {fields}",
            row=where[1],
            fields="、".join(names),
        )
    else:
        message = Text(
            "recorded before (seq {seq}) with other content in {fields}",
            seq=p.held_seq,
            fields="、".join(names),
        )
    cells: list[int | None] = [*(columns or columns_for(layout, p.error.field))]
    problems = tuple(CellProblem(c, message, p.error.code) for c in cells or [None])
    return Outcome(
        p.number, sheet, row, Status.CONFLICT, p.held_seq, problems, tuple(names)
    )


def columns_for(layout: Layout | None, name: str | None) -> list[int]:
    """The columns of a layout that an input field's value came from."""
    if layout is None or not name:
        return []
    key = name.replace("_fen", "")
    for candidate in (key, _ALIASES.get(key)):
        exact = [s.column for s in layout.slots if s.field == candidate]
        if exact:
            return exact
    nested = [s.column for s in layout.slots if s.field.startswith(key + ".")]
    if key == "shares":  # shares that do not add up: the amount too
        nested += [s.column for s in layout.slots if s.field == "amount"]
    return nested


def _names(
    layout: Layout | None, columns: Sequence[int | None], fallback: str | None
) -> tuple[str, ...]:
    if layout is None:
        return (fallback,) if fallback else ()
    headers = {s.column: s.header for s in layout.slots}
    found = [headers[c] for c in columns if c is not None and c in headers]
    return tuple(dict.fromkeys(found))

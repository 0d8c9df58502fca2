"""Where a register's headers and data are: the header row (or two) among title rows
and a 填报单位 line, the kind of register the headers name, which column fills which
field, and which rows below are data rather than empty, 合计 or notes."""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from domain.messages import Text
from infrastructure.spreadsheets.cells import is_empty, shown
from infrastructure.spreadsheets.columns import Kind, header_key, kinds
from infrastructure.spreadsheets.errors import HeadersError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from infrastructure.spreadsheets.reading import Merged, Row

SCAN_ROWS = 30
"""The header row is looked for among a sheet's first rows."""
ROW_NUMBERS = frozenset({"序号", "序", "NO", "NO.", "No", "No."})
TOTALS = frozenset({"合计", "总计", "小计", "共计", "合計", "總計"})
NOTES = ("注", "说明", "填表说明", "制表", "审核", "填报人", "单位负责人")
Candidates = dict[int, tuple[str, ...]]
"""Column → the headers it may have, best first (two header rows give several)."""


class RowKind(enum.Enum):
    """What a row below the headers is."""

    DATA = "data"
    EMPTY = "empty"
    TOTAL = "total"
    NOTE = "note"


@dataclass(frozen=True)
class Slot:
    """A column that fills a field: its index (from 0), its header as written."""

    column: int
    header: str
    field: str


@dataclass
class Layout:
    """A sheet's header rows, its kind, and which column fills which field."""

    kind: Kind
    header_rows: tuple[int, ...]
    """Row numbers (from 1) of the header row, or of the two header rows."""
    slots: list[Slot]
    headed: frozenset[int]
    """Every column with a header, imported or not."""
    merged_over: dict[int, str] = field(default_factory=dict)
    """Columns without a header of their own under a merged header → its text."""
    notes: list[Text] = field(default_factory=list)
    """What was skipped above the headers, and which columns are not imported."""

    @functools.cached_property
    def imported(self) -> frozenset[int]:
        """The columns that fill a field."""
        return frozenset(slot.column for slot in self.slots)

    @property
    def first_data_row(self) -> int:
        """The row number (from 1) of the first row below the headers."""
        return self.header_rows[-1] + 1


def column_letter(index: int) -> str:
    """Excel's name of a column (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def row_text(row: Row, limit: int = 60) -> str:
    """A row's non-empty cells as one line, cut at ``limit`` characters."""
    text = " ".join(shown(c) for c in row if not is_empty(c))
    return text if len(text) <= limit else text[:limit] + "…"


def find_layout(
    sheet: str,
    head: Sequence[Row],
    merged: Sequence[Merged],
    mapping: Mapping[str, str],
    presets: Mapping[str, object],
    kind: str | None = None,
) -> Layout | None:
    """The layout of a sheet whose first rows are ``head``; None when no row holds
    two known headers (a sheet that is no register). ``mapping`` (header key →
    field) adds to the table; ``presets`` are fields given for the whole file."""
    best, index = 0, 0
    for number, row in enumerate(head):
        score = _score(_own(row), mapping)
        if score > best:
            best, index = score, number
    if best < 2:
        return None
    headers = _own(head[index])
    rows_used: tuple[int, ...] = (index + 1,)
    if index + 1 < len(head):
        both = _two_rows(head[index], head[index + 1], merged, index)
        if both is not None and _score(both, mapping) > best:
            headers, rows_used = both, (index + 1, index + 2)
    chosen = _choose(sheet, headers, mapping, presets, kind)
    layout = _layout(sheet, chosen, headers, mapping, rows_used)
    layout.merged_over = _under_merges(head[index], merged, index, layout.headed)
    skipped = [
        Text("row {row} skipped: {text}", row=n + 1, text=row_text(head[n]))
        for n in range(index)
        if row_text(head[n])
    ]
    layout.notes[:0] = skipped
    return layout


def classify(row: Row, layout: Layout, after_total: bool) -> RowKind:
    """What a row below the headers is: a 合计 row, a note (注：…, or a lone text
    after a total), nothing, or data."""
    filled = [cell for cell in row if cell != "" and cell is not None]
    if not filled or all(isinstance(c, str) and not c.strip() for c in filled):
        return RowKind.EMPTY
    first = filled[0]
    if isinstance(first, str):
        key = header_key(first)
        if key.rstrip(":") in TOTALS:
            return RowKind.TOTAL
        if len(filled) == 1 and (after_total or key.startswith(NOTES)):
            return RowKind.NOTE
    width = len(row)
    if all(is_empty(row[c]) for c in layout.imported if c < width):
        # A template's rows numbered in advance (序号 only) are no facts.
        texts = any(isinstance(cell, str) for cell in filled)
        return RowKind.NOTE if texts else RowKind.EMPTY
    return RowKind.DATA


def _own(row: Row) -> Candidates:
    return {
        c: (cell.strip(),)
        for c, cell in enumerate(row)
        if isinstance(cell, str) and cell.strip()
    }


def _matches(text: str, mapping: Mapping[str, str]) -> dict[str, str]:
    """Kind key → the field a header fills in that kind of register."""
    key = header_key(text)
    found = {k: kd.headers[key] for k, kd in kinds().items() if key in kd.headers}
    target = mapping.get(key)
    if target is not None:
        found.update({k: target for k, kd in kinds().items() if target in kd.fields})
    return found


def _fields(
    kind: str, headers: Candidates, mapping: Mapping[str, str]
) -> dict[int, tuple[str, str]]:
    """Column → (field, header) in one kind of register: each column's first
    candidate header that this kind knows."""
    found: dict[int, tuple[str, str]] = {}
    for column, names in headers.items():
        for name in names:
            target = _matches(name, mapping).get(kind)
            if target is not None:
                found[column] = (target, name)
                break
    return found


def _score(headers: Candidates, mapping: Mapping[str, str]) -> int:
    """The most fields one kind of register finds in these headers."""
    return max(
        (len({f for f, _ in _fields(k, headers, mapping).values()}) for k in kinds()),
        default=0,
    )


def _two_rows(
    top: Row, lower: Row, merged: Sequence[Merged], index: int
) -> Candidates | None:
    """Two header rows as one: each column's lower header, upper and lower
    together, or its upper one (a merged upper header counts over its columns);
    None when the lower row holds numbers or dates (data)."""
    if any(not isinstance(c, str) for c in lower if not is_empty(c)):
        return None
    upper = {c: names[0] for c, names in _own(top).items()}
    for r0, c0, r1, c1 in merged:
        if r0 <= index <= r1 and c0 in upper:
            upper.update(dict.fromkeys(range(c0 + 1, c1 + 1), upper[c0]))
    below = {c: names[0] for c, names in _own(lower).items()}
    found: Candidates = {}
    for column in sorted(set(upper) | set(below)):
        names = (
            below.get(column, ""),
            upper.get(column, "") + below.get(column, ""),
            upper.get(column, ""),
        )
        found[column] = tuple(dict.fromkeys(n for n in names if n))
    return found


def _choose(
    sheet: str,
    headers: Candidates,
    mapping: Mapping[str, str],
    presets: Mapping[str, object],
    forced: str | None,
) -> Kind:
    """The kind of register whose required fields the headers (or ``--set``) give;
    the one with most columns found when several do."""
    found = {
        key: {f for f, _ in _fields(key, headers, mapping).values()} for key in kinds()
    }
    candidates = [forced] if forced else list(kinds())
    missing = {
        key: [f for f in kinds()[key].required if f not in found[key] | set(presets)]
        for key in candidates
    }
    ready = sorted(
        (k for k in candidates if not missing[k]), key=lambda k: -len(found[k])
    )
    if ready and (len(ready) == 1 or len(found[ready[0]]) > len(found[ready[1]])):
        return kinds()[ready[0]]
    if ready:
        raise HeadersError(
            Text(
                "sheet {sheet} could be a register of {first} or of {second}: say "
                "which with --kind {first_key} or --kind {second_key}",
                sheet=sheet,
                first=kinds()[ready[0]].title,
                second=kinds()[ready[1]].title,
                first_key=ready[0],
                second_key=ready[1],
            )
        )
    closest = max(candidates, key=lambda k: len(found[k]))
    kind = kinds()[closest]
    raise HeadersError(
        Text(
            "sheet {sheet} looks like a {title} register ({kind}) but has no column "
            "{columns}: add it, or give it for the whole file with --set "
            "{example}=…",
            sheet=sheet,
            title=kind.title,
            kind=closest,
            columns="、".join(kind.fields[f].header for f in missing[closest]),
            example=missing[closest][0],
        ),
        field=missing[closest][0],
    )


def _layout(
    sheet: str,
    kind: Kind,
    headers: Candidates,
    mapping: Mapping[str, str],
    rows: tuple[int, ...],
) -> Layout:
    slots: list[Slot] = []
    taken: dict[str, int] = {}
    notes: list[Text] = []
    fields = _fields(kind.key, headers, mapping)
    for column, names in sorted(headers.items()):
        if column not in fields:
            notes.append(_not_imported(column, names[-1]))
            continue
        target, name = fields[column]
        if target in taken and target != "org":
            raise HeadersError(
                Text(
                    "sheet {sheet}: columns {first} and {second} both give {header}; "
                    "keep one, or map one elsewhere with --map",
                    sheet=sheet,
                    first=column_letter(taken[target]),
                    second=column_letter(column),
                    header=kind.fields[target].header,
                ),
                field=target,
            )
        taken[target] = column
        slots.append(Slot(column, name, target))
    return Layout(kind, rows, slots, frozenset(headers), notes=notes)


def _not_imported(column: int, name: str) -> Text:
    if header_key(name) in ROW_NUMBERS:
        return Text(
            "column {column} ({header}) holds row numbers: not imported",
            column=column_letter(column),
            header=name,
        )
    return Text(
        "column {column} ({header}) is not imported: no field has this header "
        "(--map '{header}=FIELD' imports it)",
        column=column_letter(column),
        header=name,
    )


def _under_merges(
    top: Row, merged: Sequence[Merged], index: int, headed: frozenset[int]
) -> dict[int, str]:
    found: dict[int, str] = {}
    for r0, c0, r1, c1 in merged:
        text = top[c0] if c0 < len(top) and r0 <= index <= r1 else None
        if isinstance(text, str) and text.strip():
            found.update(
                {c: text.strip() for c in range(c0 + 1, c1 + 1) if c not in headed}
            )
    return found

"""Registers in: a spreadsheet's rows planned as facts, each with where it came from.

``plan_import`` reads a workbook's sheets (or a CSV file), finds each sheet's headers
and kind, and turns every data row into a numbered fact (or the problems of its
cells) — naming organizations and communities the way clerks do. What recording the
plan would do, or does, is ``service.sheet_outcomes``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from domain.errors import InputError, LedgerError
from domain.identity import org_id_for_filing, org_id_for_uscc
from domain.messages import Text
from domain.text import fold_identifier
from domain.values import today_in_china
from infrastructure.spreadsheets.columns import all_fields, header_key, kinds
from infrastructure.spreadsheets.errors import HeadersError
from infrastructure.spreadsheets.layout import (
    SCAN_ROWS,
    Layout,
    RowKind,
    classify,
    column_letter,
    find_layout,
    row_text,
)
from infrastructure.spreadsheets.limits import Limits
from infrastructure.spreadsheets.reading import open_register
from service.sheet_names import CommunityNames, OrgNames
from service.sheet_rows import CellProblem, RowBuilder, converter

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

    from domain.receipts import Item
    from infrastructure.spreadsheets.reading import Row, SheetSource
    from infrastructure.spreadsheets.sniff import Sniffed
    from service.node import Node

PENDING = {"filings": "filing_number", "registrations": "uscc"}
"""Kinds whose rows make organizations later rows may name, and how they do."""


@dataclass(frozen=True)
class ImportOptions:
    """How to read a register beyond its own headers."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    """``--map``: header as written → field."""
    presets: Mapping[str, str] = field(default_factory=dict)
    """``--set``: field → value for every row whose cell is empty or absent."""
    kind: str | None = None
    """``--kind``: the kind of register every sheet is."""
    limits: Limits = field(default_factory=Limits)
    name: str | None = None
    """What the sender called the file, when it is kept under another name (a
    web upload): a CSV's one sheet is named after it."""


@dataclass
class PlannedSheet:
    """A sheet read as a register."""

    source: SheetSource
    layout: Layout
    notes: list[Text]
    rows: int = 0
    """Data rows."""
    width: int = 0
    """Columns used, in any row."""


@dataclass
class Plan:
    """A register's facts, numbered from 1, with where each came from."""

    sheets: list[PlannedSheet]
    notes: list[Text]
    items: list[Item] = field(default_factory=list)
    places: list[tuple[int, int]] = field(default_factory=list)
    """Item number − 1 → (sheet index, row number)."""
    problems: dict[int, list[CellProblem]] = field(default_factory=dict)
    """Item number → what is wrong in its cells (the item is then the first)."""

    def place(self, number: int) -> tuple[PlannedSheet, int]:
        """The sheet and row an item came from."""
        sheet, row = self.places[number - 1]
        return self.sheets[sheet], row


def plan_import(
    node: Node, path: Path, sniffed: Sniffed, options: ImportOptions
) -> Plan:
    """Every data row of the register in ``path`` as a numbered fact."""
    mapping = _mapping(options.mapping)
    presets = _presets(node, options.presets)
    with open_register(path, sniffed, options.limits, options.name) as register:
        plan = Plan([], list(register.skipped))
        heads: list[Iterator[Row]] = []
        for source in register.sheets:
            rows = source.rows()
            head = list(itertools.islice(rows, SCAN_ROWS))
            layout = find_layout(
                source.name, head, source.merged, mapping, presets, options.kind
            )
            if layout is None:
                plan.notes.append(_not_a_register(source.name, head))
                continue
            plan.sheets.append(PlannedSheet(source, layout, list(layout.notes)))
            heads.append(itertools.chain(head, rows))
        if not plan.sheets:
            raise _no_headers()
        order = sorted(range(len(plan.sheets)), key=lambda i: _rank(plan.sheets[i]))
        plan.sheets = [plan.sheets[i] for i in order]
        names = _Names(node)
        for index, rows in enumerate(heads[i] for i in order):
            _plan_sheet(plan, index, rows, presets, names)
    return plan


def _plan_sheet(
    plan: Plan,
    index: int,
    rows: Iterator[Row],
    presets: Mapping[str, Any],
    names: _Names,
) -> None:
    sheet = plan.sheets[index]
    layout, kind = sheet.layout, sheet.layout.kind
    builder = RowBuilder(layout, presets, names.orgs, names.communities)
    unheaded: dict[int, int] = {}
    after_total = False
    for number, row in enumerate(rows, start=1):
        sheet.width = max(sheet.width, len(row))
        if number < layout.first_data_row:
            continue
        what = classify(row, layout, after_total)
        if what is not RowKind.DATA:
            after_total = after_total or what is RowKind.TOTAL
            if what is not RowKind.EMPTY:
                text = row_text(row)
                sheet.notes.append(
                    Text("row {row} skipped: {text}", row=number, text=text)
                )
            continue
        for column, cell in enumerate(row):
            if column not in layout.headed and cell not in ("", None):
                unheaded.setdefault(column, number)
        data, problems = builder.build(row)
        item_number = len(plan.items) + 1
        plan.places.append((index, number))
        sheet.rows += 1
        if problems:
            plan.problems[item_number] = problems
            plan.items.append((item_number, row_error(problems[0])))
            continue
        plan.items.append((item_number, (kind.fact_type, data)))
        if kind.key in PENDING:
            names.pending(kind.key, data)
    if unheaded:
        raise _unheaded(sheet, unheaded)


class _Names:
    """The names a plan resolves: communities at once, organizations on first need
    (the node's views answer then; a register of filings never asks)."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self.communities = CommunityNames(node.code)
        self._orgs: OrgNames | None = None
        self._pending: list[tuple[str, dict[str, Any]]] = []

    def orgs(self) -> OrgNames:
        if self._orgs is None:
            self._orgs = OrgNames(self.node.code)
            tomorrow = (today_in_china() + timedelta(days=1)).isoformat()
            self._orgs.hold(self.node.registry(self.node.point(as_of=tomorrow)))
            for kind, data in self._pending:
                self._add(kind, data)
        return self._orgs

    def pending(self, kind: str, data: dict[str, Any]) -> None:
        """An organization this import files or registers, for later rows to name."""
        if self._orgs is None:
            self._pending.append((kind, data))
        else:
            self._add(kind, data)

    def _add(self, kind: str, data: dict[str, Any]) -> None:
        assert self._orgs is not None
        key = str(data.get(PENDING[kind], ""))
        if not key or self._held(kind, key):
            return  # e.g. a filing held already: its organization is listed once
        filing = key if kind == "filings" else None
        uscc = key if kind == "registrations" else None
        self._orgs.add(key, data.get("name"), filing, uscc, self.node.code.value)

    def _held(self, kind: str, key: str) -> bool:
        """Whether the organization a row files or registers is held already."""
        assert self._orgs is not None
        folded = fold_identifier(key)
        if kind == "filings":
            same = org_id_for_filing(self.node.code, folded)
        else:
            same = org_id_for_uscc(folded.upper())
        return str(same) in self._orgs.by_number.get(folded.upper(), {}) or str(
            same
        ) in self._orgs.by_number.get(folded, {})


def row_error(problem: CellProblem) -> InputError:
    """A row's first problem as the error its fact meets, with the problem's code."""
    error = InputError(problem.message)
    error.code = problem.code
    return error


def _rank(sheet: PlannedSheet) -> int:
    """Sheets are recorded kind by kind: filings before the grades that name them."""
    return list(kinds()).index(sheet.layout.kind.key)


def _mapping(given: Mapping[str, str]) -> dict[str, str]:
    known = all_fields()
    for header, target in given.items():
        if target not in known:
            raise InputError(
                Text(
                    "--map {header}={field}: no register has field {field}; fields: "
                    "{fields}",
                    header=header,
                    field=target,
                    fields=", ".join(known),
                ),
                field="--map",
            )
    return {header_key(header): target for header, target in given.items()}


def _presets(node: Node, given: Mapping[str, str]) -> dict[str, Any]:
    known = all_fields()
    found: dict[str, Any] = {}
    for name, text in given.items():
        if name not in known or name == "org":
            raise InputError(
                Text(
                    "--set {field}=…: no register has field {field}; fields: {fields}",
                    field=name,
                    fields=", ".join(f for f in known if f != "org"),
                ),
                field="--set",
            )
        try:
            value = converter(name)(text, name)
            if name == "community" and value is not None:
                value = CommunityNames(node.code).resolve(value, name)
        except LedgerError as error:
            raise InputError(
                Text("--set {field}: {message}", field=name, message=error.text),
                field="--set",
            ) from None
        if value is not None:
            found[name] = value
    return found


def _not_a_register(sheet: str, head: list[Row]) -> Text:
    if not any(row_text(row) for row in head):
        return Text("sheet {sheet} is empty: not read", sheet=sheet)
    return Text(
        "sheet {sheet} has no row of register headers in its first {rows} rows: "
        "not read",
        sheet=sheet,
        rows=SCAN_ROWS,
    )


def _no_headers() -> HeadersError:
    examples = "、".join(c.header for c in kinds()["filings"].columns[:4])
    return HeadersError(
        Text(
            "no sheet of the file has a header row naming its columns (such as "
            "{examples}): add the headers, or name columns with --map",
            examples=examples,
        )
    )


def _unheaded(sheet: PlannedSheet, unheaded: dict[int, int]) -> HeadersError:
    column, row = min(unheaded.items())
    merged = sheet.layout.merged_over.get(column)
    if merged is not None:
        return HeadersError(
            Text(
                "sheet {sheet}: column {column} holds values (row {row}) under the "
                "merged header {header} but has no header of its own: give each "
                "column its own header (unmerge it, or add a second header row)",
                sheet=sheet.source.name,
                column=column_letter(column),
                row=row,
                header=merged,
            )
        )
    return HeadersError(
        Text(
            "sheet {sheet}: column {column} holds values (row {row}) but has no "
            "header: name the column, or delete it",
            sheet=sheet.source.name,
            column=column_letter(column),
            row=row,
        )
    )

"""The errors workbook: a register written back with what is wrong in each row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import InputError
from domain.messages import Text
from infrastructure.spreadsheets.errors_workbook import (
    MarkedSheet,
    write_errors_workbook,
)
from infrastructure.spreadsheets.layout import column_letter
from infrastructure.spreadsheets.reading import open_register
from service.sheet_outcomes import Status

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from infrastructure.spreadsheets.sniff import Sniffed
    from service.sheet_import import ImportOptions, Plan
    from service.sheet_outcomes import Outcome, Report


def write_errors(
    source: Path,
    sniffed: Sniffed,
    options: ImportOptions,
    plan: Plan,
    report: Report,
    out: Path,
    render: Callable[[Text], str],
    label: str,
) -> int:
    """Write the register of ``plan`` to ``out``, each refused row with its message
    (``render`` puts it in the reader's language) and its bad cells marked; the
    number of rows marked."""
    if out.resolve() == source.resolve():
        raise InputError(
            Text("--errors must name a new file, not the register being imported"),
            field="--errors",
        )
    marks: dict[str, dict[int, tuple[str, set[int]]]] = {}
    for outcome in report.outcomes:
        if outcome.status in (Status.ERROR, Status.CONFLICT) and outcome.sheet:
            marks.setdefault(outcome.sheet, {})[outcome.row] = _mark(outcome, render)
    with open_register(source, sniffed, options.limits, options.name) as register:
        sources = {s.name: s for s in register.sheets}
        sheets = [
            MarkedSheet(
                sources[planned.source.name],
                planned.layout.header_rows[0],
                planned.width,
                marks.get(planned.source.name, {}),
            )
            for planned in plan.sheets
        ]
        write_errors_workbook(out, sheets, label)
    return sum(len(m) for m in marks.values())


def _mark(outcome: Outcome, render: Callable[[Text], str]) -> tuple[str, set[int]]:
    grouped: dict[str, list[int]] = {}
    for problem in outcome.problems:
        columns = grouped.setdefault(render(problem.message), [])
        if problem.column is not None:
            columns.append(problem.column)
    lines = [
        render(
            Text(
                "{columns}: {message}",
                columns="、".join(column_letter(c) for c in columns),
                message=message,
            )
        )
        if columns
        else message
        for message, columns in grouped.items()
    ]
    bad = {p.column for p in outcome.problems if p.column is not None}
    return "\n".join(lines), bad

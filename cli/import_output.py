"""What `tierledger import` prints: how each sheet was read, then each row's outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

from cli.i18n import _, say
from cli.output import console, print_json
from domain.messages import Text
from infrastructure.spreadsheets.layout import column_letter
from service.sheet_outcomes import Status

if TYPE_CHECKING:
    from service.sheet_import import Plan
    from service.sheet_outcomes import Outcome, Report

SHOWN_ROWS = 200
"""Rows listed in a table at most (--format json lists every one)."""
LABELS = {
    Status.HELD: _("already held"),
    Status.CONFLICT: _("conflict"),
    Status.ERROR: _("error"),
}


def print_plan(plan: Plan, output: str) -> None:
    """How each sheet was read and what was skipped (tables only: JSON says it with
    the outcomes)."""
    if output == "json":
        return
    for sheet in plan.sheets:
        layout = sheet.layout
        console.print(
            say(
                Text(
                    "sheet {sheet}: {title} ({kind}), headers in row {rows}, "
                    "{count} data rows",
                    sheet=sheet.source.name,
                    title=layout.kind.title,
                    kind=layout.kind.key,
                    rows="–".join(str(r) for r in layout.header_rows),
                    count=sheet.rows,
                )
            ),
            markup=False,
        )
        for note in sheet.notes:
            console.print(f"  {say(note)}", markup=False)
    for note in plan.notes:
        console.print(say(note), markup=False)


def print_report(
    report: Report, plan: Plan | None, output: str, *, dry_run: bool, head: int
) -> None:
    """Each row's outcome (a table of those that are not plainly recorded, or JSON
    of all), then one line saying what was, or would be, recorded."""
    if output == "json":
        print_json(_document(report, plan, dry_run=dry_run, head=head))
        return
    listed = [
        o
        for o in report.outcomes
        if o.status is not Status.RECORD and (dry_run or o.status is not Status.HELD)
    ]
    if listed:
        console.print(_table(listed[:SHOWN_ROWS], plan))
    if len(listed) > SHOWN_ROWS:
        more = len(listed) - SHOWN_ROWS
        text = Text(
            "… and {count} more rows (--format json lists every row)", count=more
        )
        console.print(say(text), markup=False)
    console.print(say(_summary(report, dry_run=dry_run, head=head)), markup=False)


def _table(outcomes: list[Outcome], plan: Plan | None) -> Table:
    several = plan is not None and len(plan.sheets) > 1
    table = Table(show_lines=False)
    table.add_column(_("row") if plan is not None else _("line"), no_wrap=True)
    table.add_column(_("result"), no_wrap=True)
    table.add_column(_("detail"))
    for outcome in outcomes:
        where = str(outcome.row)
        if several and outcome.sheet:
            where = say(Text("{sheet} row {row}", sheet=outcome.sheet, row=outcome.row))
        table.add_row(where, LABELS[outcome.status], _detail(outcome, plan))
    return table


def _detail(outcome: Outcome, plan: Plan | None) -> str:
    if outcome.status is Status.HELD:
        return say(Text("seq {seq}", seq=outcome.seq))
    return "\n".join(_messages(outcome, plan))


def _messages(outcome: Outcome, plan: Plan | None) -> list[str]:
    headers: dict[int, str] = {}
    if plan is not None:
        layout = plan.place(outcome.number)[0].layout
        headers = {s.column: s.header for s in layout.slots}
    found: dict[str, list[str]] = {}
    for problem in outcome.problems:
        message = say(problem.message)
        cells = found.setdefault(message, [])
        if problem.column is not None:
            header = headers.get(problem.column, "")
            # A cell's address, and its header unless the message starts with it.
            named = header and not message.startswith(header)
            letter = column_letter(problem.column)
            cells.append(f"{letter} {header}" if named else letter)
    return [
        say(Text("{columns}: {message}", columns="、".join(c), message=m)) if c else m
        for m, c in found.items()
    ]


def _summary(report: Report, *, dry_run: bool, head: int) -> Text:
    counts, total = report.counts, len(report.outcomes)
    new, held = counts[Status.RECORD], counts[Status.HELD]
    bad = counts[Status.ERROR] + counts[Status.CONFLICT]
    if dry_run:
        return Text(
            "dry run: of {total} rows, {new} would be recorded, {held} are already "
            "held, {conflicts} conflict with facts held, {errors} have errors; "
            "nothing was recorded",
            total=total,
            new=new,
            held=held,
            conflicts=counts[Status.CONFLICT],
            errors=counts[Status.ERROR],
        )
    if not report.recorded and bad:
        return Text(
            "nothing was recorded: {bad} of {total} rows cannot be recorded; fix "
            "them (--errors FILE.xlsx marks them), or use --partial to record the "
            "good rows",
            bad=bad,
            total=total,
        )
    if total and not new:
        return Text("nothing new: all {total} rows are already recorded", total=total)
    if not total:
        return Text("the file holds no facts")
    return Text(
        "recorded {new} of {total} rows ({held} already recorded before), head seq "
        "{seq}",
        new=new,
        total=total,
        held=held,
        seq=head,
    )


def _document(
    report: Report, plan: Plan | None, *, dry_run: bool, head: int
) -> dict[str, Any]:
    rows = [
        {
            "sheet": o.sheet,
            "row": o.row,
            "status": o.status.value,
            "seq": o.seq,
            "columns": list(o.columns),
            "messages": _messages(o, plan),
        }
        for o in report.outcomes
    ]
    sheets = [
        {
            "sheet": s.source.name,
            "kind": s.layout.kind.key,
            "header_rows": list(s.layout.header_rows),
            "rows": s.rows,
            "notes": [say(n) for n in s.notes],
        }
        for s in (plan.sheets if plan else [])
    ]
    return {
        "dry_run": dry_run,
        "recorded": report.recorded,
        "head_seq": head,
        "counts": {status.value: report.counts[status] for status in Status},
        "sheets": sheets,
        "notes": [say(n) for n in (plan.notes if plan else [])],
        "rows": rows,
        "summary": say(_summary(report, dry_run=dry_run, head=head)),
    }

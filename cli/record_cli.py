"""`tierledger record` and `tierledger import`: a clerk's facts, one or a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.i18n import say
from cli.importing import progress_bar, read_items
from cli.nodes import EXIT_INVALID, NodeArg, open_node, reports_errors
from cli.output import console, err_console, error_line
from domain.errors import BatchRejectedError, InvalidFieldError
from domain.messages import Text


@reports_errors
def record(
    ctx: typer.Context,
    node: NodeArg,
    fact_type: Annotated[
        str, typer.Argument(metavar="TYPE", help="Fact type, e.g. OrganizationFiled.")
    ],
    data: Annotated[str, typer.Option(help="The fact's fields as a JSON object.")],
) -> None:
    """Record one fact and print its seq and hash."""
    try:
        fields = json.loads(data)
    except json.JSONDecodeError as error:
        raise InvalidFieldError(
            Text(
                "--data is not JSON: {reason} at column {column}",
                reason=error.msg,
                column=error.colno,
            )
        ) from None
    with open_node(ctx, node) as opened:
        receipt = opened.record(fact_type, fields)
    for warning in receipt.warnings:
        err_console.print(f"warning: {say(warning)}", markup=False)
    org = f" org {receipt.org_id}" if receipt.org_id else ""
    held = " (already recorded: nothing new)" if receipt.already_recorded else ""
    console.print(f"seq {receipt.seq} {receipt.hash}{org}{held}")


@reports_errors
def import_facts(
    ctx: typer.Context,
    node: NodeArg,
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help='JSON lines {"type": ..., "data": {...}}.'
        ),
    ],
    partial: Annotated[
        bool,
        typer.Option("--partial", help="Record the good lines even if some are bad."),
    ] = False,
) -> None:
    """Record every fact of a JSONL file: all of them, or nothing if any line is bad."""
    items = read_items(file)
    with (
        open_node(ctx, node) as opened,
        progress_bar(
            len(items), "checking and recording", enabled=console.is_terminal
        ) as bar,
    ):
        task = bar.add_task("import", total=len(items))
        try:
            receipts, problems = opened.record_many(
                items,
                partial=partial,
                progress=lambda done: bar.update(task, completed=done),
            )
        except BatchRejectedError as rejected:
            receipts, problems = [], rejected.problems
    for number, problem in problems:
        line = Text("line {number}: {problem}", number=number, problem=problem.text)
        error_line(problem.code, say(line))
    if problems and not receipts:
        nothing = Text(
            "nothing was recorded: {bad} bad line(s) of {total}; fix them, or use "
            "--partial to record the good lines",
            bad=len(problems),
            total=len(items),
        )
        err_console.print(say(nothing), markup=False)
        raise typer.Exit(EXIT_INVALID)
    held = sum(r.already_recorded for r in receipts)
    new = len(receipts) - held
    console.print(
        f"recorded {new} of {len(items)} facts"
        + (f", {held} already recorded before" if held else "")
        + f", head seq {opened.ledger.head().seq}"
        if receipts
        else "the file holds no facts"
    )
    if problems:
        raise typer.Exit(EXIT_INVALID)

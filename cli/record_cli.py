"""`tierledger record` and `tierledger import`: a clerk's facts, one or a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.fact_input import read_data
from cli.i18n import _, say
from cli.importing import count_items, iter_items, progress_bar
from cli.nodes import EXIT_INVALID, NodeArg, cli_actor, open_node, reports_errors
from cli.output import console, err_console, error_line
from domain.catalogue import FACT_TYPES
from domain.errors import BatchRejectedError
from domain.messages import Text
from domain.receipts import Receipt

if TYPE_CHECKING:
    from service.node import Node


def record_help() -> str:
    """``record``'s help: what it does, the fact types a clerk records, where to
    read their fields."""
    types = ", ".join(name for name, kind in FACT_TYPES.items() if kind.inputs)
    return "\n\n".join(
        [
            _("Record one fact and print its seq, hash and effective date."),
            say(Text("Fact types: {types}.", types=types)),
            _(
                "Each type's fields and rules: `tierledger facts TYPE`, or "
                "docs/facts.md."
            ),
        ]
    )


@reports_errors
def record(
    ctx: typer.Context,
    node: NodeArg,
    fact_type: Annotated[
        str,
        typer.Argument(metavar="TYPE", help=_("Fact type, e.g. OrganizationFiled.")),
    ],
    data: Annotated[
        str,
        typer.Option(
            help=_(
                "The fact's fields as a JSON object; @PATH reads them from a file, "
                "- from stdin (UTF-8)."
            )
        ),
    ],
) -> None:
    """Record one fact and print its seq, hash and effective date."""
    fields = read_data(data)
    with open_node(ctx, node) as opened:
        receipt = opened.record(fact_type, fields, actor=cli_actor())
    print_receipt(receipt)


def print_receipt(receipt: Receipt) -> None:
    """A receipt, a line each: seq and hash, organization, the date the fact holds
    (flagged when it was not given); its warnings on stderr."""
    for warning in receipt.warnings:
        message = f"warning: {say(warning)}"  # the marker stays, as error[...]: does
        err_console.print(message, markup=False)
    lines = [_("seq {seq} {hash}").format(seq=receipt.seq, hash=receipt.hash)]
    if receipt.org_id:
        lines.append(_("org {org_id}").format(org_id=receipt.org_id))
    if receipt.date_defaulted:
        line = _("effective on {date} (not given: the day it was recorded)")
        lines.append(line.format(date=receipt.effective_on))
    elif receipt.effective_on:
        lines.append(_("effective on {date}").format(date=receipt.effective_on))
    if receipt.already_recorded:
        lines.append(_("already recorded: nothing new"))
    console.print("\n".join(lines), markup=False)


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
        typer.Option(
            "--partial", help=_("Record the good lines even if some are bad.")
        ),
    ] = False,
) -> None:
    """Record every fact of a JSONL file: all of them, or nothing if any line is bad."""
    total = count_items(file)
    with (
        open_node(ctx, node) as opened,
        progress_bar(
            total, "checking and recording", enabled=console.is_terminal
        ) as bar,
    ):
        task = bar.add_task("import", total=total)
        try:
            receipts, problems = opened.record_many(
                iter_items(file),  # each line let go once recorded
                actor=cli_actor(),
                partial=partial,
                progress=lambda done: bar.update(task, completed=done),
            )
        except BatchRejectedError as rejected:
            receipts, problems = [], rejected.problems
    for number, problem in problems:
        line = Text("line {number}: {problem}", number=number, problem=problem.text)
        error_line(problem.code, say(line))
    for receipt in receipts:
        for warning in receipt.warnings:
            message = f"warning: seq {receipt.seq}: {say(warning)}"
            err_console.print(message, markup=False)
    if problems and not receipts:
        nothing = Text(
            "nothing was recorded: {bad} bad line(s) of {total}; fix them, or use "
            "--partial to record the good lines",
            bad=len(problems),
            total=total,
        )
        err_console.print(say(nothing), markup=False)
        raise typer.Exit(EXIT_INVALID)
    held = sum(r.already_recorded for r in receipts)
    new = len(receipts) - held
    console.print(say(_import_summary(new, held, total, opened)), markup=False)
    if problems:
        raise typer.Exit(EXIT_INVALID)


def _import_summary(new: int, held: int, total: int, opened: Node) -> Text:
    """What an import recorded: new facts, facts held before, the head it left."""
    if not new + held:  # no receipt: the file had no line
        return Text("the file holds no facts")
    seq = opened.ledger.head().seq
    if held:
        return Text(
            "recorded {new} of {total} facts, {held} already recorded before, "
            "head seq {seq}",
            new=new,
            total=total,
            held=held,
            seq=seq,
        )
    return Text("recorded {new} of {total} facts, head seq {seq}", new=new,
                total=total, seq=seq)  # fmt: skip

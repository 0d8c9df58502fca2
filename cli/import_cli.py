"""`tierledger import`: a register (XLSX, CSV) or a JSONL file of facts, previewed
with --dry-run, recorded all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli import record_cli
from cli.choices import format_option
from cli.i18n import _, say
from cli.import_output import print_plan, print_report
from cli.importing import progress_bar, read_items
from cli.nodes import EXIT_INVALID, NodeArg, cli_actor, open_node, reports_errors
from cli.output import console
from domain.errors import InputError
from domain.messages import Text
from infrastructure.settings import Settings
from infrastructure.spreadsheets.columns import kinds
from infrastructure.spreadsheets.sniff import Format, Sniffed, sniff
from service import sheet_outcomes
from service.sheet_errors import write_errors
from service.sheet_import import ImportOptions, Plan, plan_import
from service.sheet_outcomes import Report

HELP = _(
    "Record every fact of a register (XLSX or CSV, Chinese headers) or of a JSONL "
    "file: all of them, or nothing if a row is bad. --dry-run says what each row "
    "would do and records nothing."
)


@reports_errors
def import_file(
    ctx: typer.Context,
    node: NodeArg,
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help=_(
                "An Excel workbook (.xlsx), a CSV file (UTF-8 or GB18030), or JSON "
                "lines; recognised by content."
            ),
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help=_(
                "Say what each row would do (record, already held, conflict, "
                "error); record nothing."
            ),
        ),
    ] = False,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            dir_okay=False,
            help=_(
                "Write the register back to this .xlsx file, each refused row with "
                "its message and its bad cells in red."
            ),
        ),
    ] = None,
    maps: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="HEADER=FIELD",
            help=_("Read the column with this header as this field (repeatable)."),
        ),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help=_(
                "A value for every row whose cell is empty or whose sheet has no "
                "such column, e.g. --set effective_on=2024-12-05 (repeatable)."
            ),
        ),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help=_(
                "The kind of register every sheet is, when its headers could be "
                "two: filings, registrations, upgrades, grades or subsidies."
            ),
        ),
    ] = None,
    partial: Annotated[
        bool,
        typer.Option("--partial", help=_("Record the good rows even if some are bad.")),
    ] = False,
    output: Annotated[str, format_option("table", "json")] = "table",
) -> None:
    """Record every fact of a register or JSONL file: all, or nothing."""
    if kind is not None and kind not in kinds():
        raise InputError(
            Text(
                "--kind {kind} is not a kind of register; kinds: {kinds}",
                kind=kind,
                kinds=", ".join(kinds()),
            ),
            field="--kind",
        )
    options = ImportOptions(
        _pairs(maps, "--map", last=True),
        _pairs(sets, "--set", last=False),
        kind,
        Settings().import_limits(),
    )
    sniffed = sniff(file, options.limits)
    if sniffed.format is Format.JSONL:
        _refuse_sheet_options(options, errors)
        if not dry_run:
            record_cli.import_facts(ctx, node, file, partial)
            return
    with open_node(ctx, node) as opened:
        if sniffed.format is Format.JSONL:
            plan = None
            items = read_items(file)
        else:
            plan = plan_import(opened, file, sniffed, options)
            items = plan.items
            print_plan(plan, output)
        if dry_run:
            report = sheet_outcomes.preview(opened, items, plan)
        else:
            with progress_bar(
                len(items), _("checking and recording"), enabled=console.is_terminal
            ) as bar:
                task = bar.add_task("import", total=len(items))
                report = sheet_outcomes.record(
                    opened,
                    items,
                    plan,
                    partial=partial,
                    progress=lambda done: bar.update(task, completed=done),
                    again=lambda: plan_import(opened, file, sniffed, options).items,
                    actor=cli_actor(),
                )
        head = opened.ledger.head().seq
    print_report(report, plan, output, dry_run=dry_run, head=head)
    if errors is not None and plan is not None:
        _write_errors(file, sniffed, options, plan, report, errors)
    if report.refused:
        raise typer.Exit(EXIT_INVALID)


def _write_errors(
    file: Path,
    sniffed: Sniffed,
    options: ImportOptions,
    plan: Plan,
    report: Report,
    out: Path,
) -> None:
    if not report.refused:
        console.print(say(Text("no row was refused: {file} was not written", file=out)))
        return
    marked = write_errors(file, sniffed, options, plan, report, out, say, _("Problems"))
    console.print(
        say(Text("{count} refused row(s) marked in {file}", count=marked, file=out))
    )


def _pairs(given: list[str] | None, option: str, *, last: bool) -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in given or ():
        left, sep, right = pair.rpartition("=") if last else pair.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise InputError(
                Text(
                    "{option} {pair}: write it as NAME=VALUE", option=option, pair=pair
                ),
                field=option,
            )
        found[left.strip()] = right.strip()
    return found


def _refuse_sheet_options(options: ImportOptions, errors: Path | None) -> None:
    if options.mapping or options.presets or options.kind or errors:
        raise InputError(
            Text(
                "--map, --set, --kind and --errors are for registers (XLSX, CSV); "
                "a JSONL file names every field itself"
            )
        )

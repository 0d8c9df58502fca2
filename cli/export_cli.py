"""`tierledger export`: a node's registry, roll-up, grades, subsidies, reconciliation
or year's statistics, as a workbook for Excel (or one CSV table)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from cli import find_cli
from cli.choices import format_option
from cli.i18n import _, say
from cli.nodes import open_node, reports_errors
from cli.output import console
from domain.messages import Text
from service.exports import WHAT, build_export

if TYPE_CHECKING:
    from collections.abc import Callable

HELP = _(
    "Export a node's registry, rollup, grades, subsidies, reconciliation or report "
    "(the year's statistics) for Excel: xlsx, or csv in UTF-8 with a BOM."
)


@reports_errors
def export(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help=_("This node's division code."))],
    what: Annotated[
        str,
        typer.Argument(
            help=_("registry, rollup, grades, subsidies, reconciliation or report.")
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help=_("The file to write (default: a name saying what, where and when)."),
        ),
    ] = None,
    fmt: Annotated[str, format_option("xlsx", "csv")] = "xlsx",
    as_of: Annotated[
        str | None, typer.Option(help=_("Business date: facts in force then (ISO)."))
    ] = None,
    known_at: Annotated[
        str | None,
        typer.Option(help=_("Instant: only facts the node had received by then.")),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            help=_("Only this period's money, e.g. 2024 (the report's year).")
        ),
    ] = None,
    personal: Annotated[
        bool,
        typer.Option(help=_("Phone and ID numbers unmasked (the file is owner-only).")),
    ] = False,
    allow_broken: find_cli.AllowBroken = False,
) -> None:
    """Write an export to a file, all of it or nothing."""
    with open_node(ctx, node) as opened:
        if as_of is None and what == "report" and period and period.isdigit():
            as_of = f"{period}-12-31"  # a year's report stands at the year's end
        point = opened.point(as_of, known_at, allow_broken=allow_broken)
        built = build_export(opened, what, fmt, point, period=period, personal=personal)
        target = output or Path(built.filename)
        write_whole(target, built.write)
    console.print(
        say(Text("wrote {file} ({what})", file=str(target), what=WHAT[what])),
        markup=False,
    )


def write_whole(target: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write into a temporary file beside ``target``, owner-only, then rename it:
    a failure leaves no half-written file."""
    fd, name = tempfile.mkstemp(dir=target.parent or Path("."), prefix=".export-")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.chmod(name, 0o600)
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise

"""`tierledger template`: blank registers to fill in Excel, then import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.choices import format_option
from cli.export_cli import write_whole
from cli.i18n import _, say
from cli.nodes import reports_errors
from cli.output import console
from domain.messages import Text
from infrastructure.spreadsheets.template import write_template

HELP = _(
    "Write blank registers (filings, registrations, upgrades, grades, subsidies) "
    "with drop-down lists and instructions in Chinese, to fill in and import."
)


@reports_errors
def template(
    output: Annotated[
        Path, typer.Option("-o", "--output", help=_("The workbook to write."))
    ] = Path("台账模板.xlsx"),
    fmt: Annotated[str, format_option("xlsx")] = "xlsx",
) -> None:
    """Write the blank workbook, whole or not at all."""
    write_whole(output, write_template)
    console.print(say(Text("wrote {file}", file=str(output))), markup=False)

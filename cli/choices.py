"""Options that take one of a few words (``--format``, ``--log-level``).

Anything else is refused while the command line is read, before a store is opened,
in the one-line form of every other error: a table printed in place of the CSV that
was asked for would be taken for the CSV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cli.i18n import say
from cli.nodes import EXIT_INVALID
from cli.output import error_line
from domain.errors import excerpt
from domain.messages import Text

if TYPE_CHECKING:
    from collections.abc import Callable


def one_of(option: str, choices: tuple[str, ...]) -> Callable[[str | None], str | None]:
    """A Typer callback admitting only ``choices`` for ``option`` (or its absence,
    when it has no default)."""

    def check(value: str | None) -> str | None:
        if value is not None and value not in choices:
            refusal = Text(
                "{option} must be one of {choices}, not {value}",
                option=option,
                choices=", ".join(choices),
                value=excerpt(value),
            )
            error_line("invalid-option", say(refusal))
            raise typer.Exit(EXIT_INVALID)
        return value

    return check


def format_option(*choices: str) -> Any:
    """A ``--format`` option admitting only ``choices``."""
    listed = ", ".join(choices)
    return typer.Option(
        "--format",
        help=say(Text("Output format: {choices}.", choices=listed)),
        callback=one_of("--format", choices),
        is_eager=True,  # refused before any argument (a file, a node) is looked at
    )

"""Typer's own words — help headings, usage errors — in the shell's language.

Typer (with the click it vendors) writes "Usage:", "Options", "Missing argument …" in
English and has no catalogue of its own; this module gives it ours. A usage error is
one line, like every other error: ``error[usage]: …`` and exit 2.
"""

from __future__ import annotations

import inspect
import re
import sys
from typing import IO, TYPE_CHECKING, Any

import typer.core
from typer._click import core as click_core
from typer._click import exceptions as click_exceptions
from typer._click import formatting as click_formatting

from cli.i18n import _, say
from domain.messages import N_, Text

if TYPE_CHECKING:
    from collections.abc import Iterator

    from typer.models import CommandInfo

TYPER_WORDS = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("required"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("Aborted!"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Show this message and exit."),
)
"""What Typer passes through gettext or prints as is, marked for the catalogue."""

USAGE_ERRORS = [
    (re.compile(pattern), template)
    for pattern, template in (
        (r"Missing argument '(?P<name>.+)'\.", N_("Missing argument '{name}'.")),
        (r"Missing option '(?P<name>.+)'\.", N_("Missing option '{name}'.")),
        (r"No such option: (?P<name>\S+)", N_("No such option: {name}")),
        (r"No such command '(?P<name>.+)'\.", N_("No such command '{name}'.")),
        (r"Missing command\.", N_("Missing command.")),
        (
            r"Got unexpected extra arguments? \((?P<args>.*)\)",
            N_("Got unexpected extra arguments ({args})"),
        ),
        (
            r"Invalid value for (?P<name>'[^']+'|--[\w-]+(?: / -\w)?): "
            r"(?P<kind>file|path|directory|File|Path|Directory) "
            r"(?P<path>'.*') does not exist\.",
            N_("Invalid value for {name}: {path} does not exist."),
        ),
        (
            r"Invalid value for (?P<name>'[^']+'|--[\w-]+(?: / -\w)?): "
            r"(?P<value>'.*') is not a valid (?P<kind>integer|float|boolean)\.",
            N_("Invalid value for {name}: {value} is not a valid number."),
        ),
        (
            r"Invalid value for (?P<name>'[^']+'|--[\w-]+(?: / -\w)?): "
            r"(?P<value>'.*') is not one of (?P<choices>.+)\.",
            N_("Invalid value for {name}: {value} is not one of {choices}."),
        ),
        (
            r"Invalid value for (?P<name>'[^']+'|--[\w-]+(?: / -\w)?): (?P<reason>.+)",
            N_("Invalid value for {name}: {reason}"),
        ),
    )
]


def usage_message(message: str) -> str:
    """A usage error's message in the shell's language (as is, if not recognised)."""
    for pattern, template in USAGE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            values = {k: v for k, v in found.groupdict().items() if k in template}
            return say(Text(template, **values))
    return message


class TranslatedHelpFormatter(click_formatting.HelpFormatter):
    """Help in the shell's language: the usage prefix and the help option's text."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """``Usage:`` translated."""
        super().write_usage(prog, args, prefix or _("Usage: "))

    def write_heading(self, heading: str) -> None:
        """A section heading, with the colon of the shell's language."""
        titled = say(Text("{heading}:", heading=heading))
        self.write(f"{'':>{self.current_indent}}{titled}\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        """Rows whose text is one of Typer's own phrases, translated."""
        translated = [
            (term, _(text) if text in TYPER_WORDS else text) for term, text in rows
        ]
        super().write_dl(translated, col_max, col_spacing)


def _show_usage_error(
    self: click_exceptions.UsageError, file: IO[Any] | None = None
) -> None:
    command = self.ctx.command_path if self.ctx is not None else "tierledger"
    hint = say(Text("see {command} --help", command=command))
    line = f"error[usage]: {usage_message(self.format_message())} ({hint})"
    print(line, file=file or sys.stderr)


def install() -> None:
    """Give Typer the shell's language (once, before any command runs)."""
    typer.core._ = _  # type: ignore[assignment,attr-defined]  # its gettext
    click_core.Context.formatter_class = TranslatedHelpFormatter
    click_exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]


def commands(app: typer.Typer) -> Iterator[CommandInfo]:
    """Every command of ``app`` and of its sub-apps."""
    yield from app.registered_commands
    for group in app.registered_groups:
        if group.typer_instance is not None:
            yield from commands(group.typer_instance)


def docstring_help(info: CommandInfo) -> str | None:
    """A command's help as its docstring gives it: the catalogue's message id."""
    doc = info.callback.__doc__ if info.callback is not None else None
    return inspect.cleandoc(doc) if doc else None


def translate_commands(app: typer.Typer) -> None:
    """Each command's docstring help in the shell's language (the catalogue holds
    them as docstrings: tests/infrastructure/test_i18n.py collects them)."""
    for info in commands(app):
        doc = docstring_help(info)
        if info.help is None and doc:
            info.help = _(doc)
            DOCSTRING_HELPS.append(doc)


DOCSTRING_HELPS: list[str] = []
"""The docstrings ``translate_commands`` gave as help: message ids of the catalogue."""

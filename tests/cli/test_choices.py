"""Options that take one of a few words refuse every other word, in one line."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
import typer.main
from typer.testing import CliRunner

from cli.main import app

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def commands_with(option: str) -> Iterator[tuple[list[str], Any]]:
    """Every command (with its path of words) that takes ``option`` (Typer's own
    Click: groups are the commands with sub-commands)."""

    def walk(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, [*path, name])
        elif any(option in p.opts for p in command.params):
            yield path, command

    yield from walk(typer.main.get_command(app), [])


def choices_of(command: Any, option: str) -> list[str]:
    """The words the option's help offers."""
    found = next(p for p in command.params if option in p.opts)
    words: str = re.split("[:：]", found.help)[-1].strip(" .。")
    return words.split(", ")


FORMATTED = {" ".join(path): command for path, command in commands_with("--format")}
REFUSED = [
    (words, asked)
    for words, command in sorted(FORMATTED.items())
    for asked in ("csv", "xml", "JSON", "")
    if asked not in choices_of(command, "--format")
]


def test_the_commands_that_print_tables_offer_formats() -> None:
    assert {"registry", "log", "show", "view", "reconcile", "token list"} <= set(
        FORMATTED
    )
    assert {"sync status", "audit diff", "audit timeline"} <= set(FORMATTED)


@pytest.mark.parametrize(("words", "asked"), REFUSED)
def test_an_unsupported_format_fails_in_one_line(
    tmp_path: Path, words: str, asked: str
) -> None:
    command = FORMATTED[words]
    # The option first: it is refused before any argument is looked at.
    args = [*words.split(), "--format", asked, "330211001001", "x"]
    result = CliRunner().invoke(app, args, env={"TIERLEDGER_HOME": str(tmp_path)})
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error[invalid-option]: --format must be one of "
        f"{', '.join(choices_of(command, '--format'))}, not {asked!r}"
    ]
    assert not (tmp_path / "330211001001").exists()


def test_a_supported_format_still_prints(tmp_path: Path) -> None:
    env = {"TIERLEDGER_HOME": str(tmp_path)}
    runner = CliRunner()
    assert runner.invoke(app, ["init", "330211001001"], env=env).exit_code == 0
    result = runner.invoke(app, ["log", "330211001001", "--format", "json"], env=env)
    assert result.exit_code == 0, result.stderr
    assert '"LedgerOpened"' in result.stdout

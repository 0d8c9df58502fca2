"""Help that helps: every command, argument and option says what it is for, nothing
is swallowed by markup, and `record --help` names the fact types."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from cli.main import app
from domain.catalogue import FACT_TYPES

runner = CliRunner()
ROOT = get_command(app)


def every_command() -> list[tuple[str, object]]:
    """(path, click command) for every command of the CLI."""
    found: list[tuple[str, object]] = []

    def walk(path: str, command: object) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(f"{path} {name}", sub)
        else:
            found.append((path, command))

    walk("tierledger", ROOT)
    return found


@pytest.mark.parametrize(("path", "command"), every_command(), ids=lambda v: str(v))
def test_every_command_argument_and_option_is_documented(
    path: str, command: object
) -> None:
    assert getattr(command, "help", None), f"{path} has no help"
    for param in getattr(command, "params", []):
        assert getattr(param, "help", None), f"{path}: {param.name} has no help"


def test_record_help_lists_the_fact_types_and_points_to_the_catalogue() -> None:
    result = runner.invoke(app, ["record", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    clerks = [name for name, kind in FACT_TYPES.items() if kind.inputs]
    for name in clerks:
        assert name in result.stdout
    assert "tierledger facts TYPE" in result.stdout
    assert "docs/facts.md" in result.stdout


def test_bracketed_help_is_shown_as_written() -> None:
    result = runner.invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "TIERLEDGER_HOST" in result.stdout


def test_help_is_chinese_in_a_chinese_shell() -> None:
    env = os.environ | {"LANG": "zh_CN.UTF-8", "COLUMNS": "200"}
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "cli", "record", "--help"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "用法：" in done.stdout
    assert "事实类型：" in done.stdout
    assert "显示本帮助并退出。" in done.stdout

"""`tierledger facts`: the catalogue on the command line, in the shell's language."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli.main import app
from domain.catalogue import FACT_TYPES

runner = CliRunner()


def test_lists_every_fact_type_clerks_first() -> None:
    result = runner.invoke(app, ["facts"])
    assert result.exit_code == 0
    listed = result.stdout
    for name in FACT_TYPES:
        assert f"  {name} " in listed
    assert listed.index("OrganizationFiled") < listed.index("LedgerOpened")
    assert "a grassroots organization filed (备案)" in listed


def test_shows_one_types_fields_and_rules() -> None:
    result = runner.invoke(app, ["facts", "SubsidyDecided"])
    assert result.exit_code == 0
    for key in ("program", "period", "amount_fen", "shares", "duplicate-subsidy"):
        assert key in result.stdout


def test_an_unknown_type_is_one_line_and_exit_2() -> None:
    result = runner.invoke(app, ["facts", "OrganisationFiled"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error[unknown-fact-type]: unknown fact type 'OrganisationFiled'; "
        "`tierledger facts` lists them"
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh_CN.UTF-8", ["由工作人员录入", "等级评估结果"]),
        ("en_US.UTF-8", ["Recorded by clerks"]),
    ],
)
def test_speaks_the_shells_language(lang: str, words: list[str]) -> None:
    env = os.environ | {"LANG": lang, "LC_ALL": lang, "COLUMNS": "120"}
    env.pop("LANGUAGE", None)
    done = subprocess.run(
        [sys.executable, "-m", "cli", "facts", "GradeEvaluated"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    listing = subprocess.run(
        [sys.executable, "-m", "cli", "facts"],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for word in words:
        assert word in listing + done.stdout
    assert "scheme" in done.stdout  # field names stay as the code spells them

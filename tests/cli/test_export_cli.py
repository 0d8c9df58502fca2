"""`tierledger export`: a file written whole and owner-only, the year's report at
the year's end, and a one-line error for a bad choice."""

from __future__ import annotations

import stat
from typing import TYPE_CHECKING

import openpyxl

from tests.cli.conftest import Cli
from tests.service.exporting import street_with_a_year

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.stores import Store

STREET = "330211001"


def test_export_writes_an_owner_only_workbook(store: Store, tmp_path: Path) -> None:
    street_with_a_year(store).close()
    cli = Cli(store)
    target = tmp_path / "registry.xlsx"
    out, _ = cli(
        "export", STREET, "registry", "-o", str(target), "--as-of", "2024-12-31"
    )
    assert f"wrote {target}" in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert openpyxl.load_workbook(target).sheetnames[0] == "备案台账"


def test_the_report_stands_at_the_years_end(store: Store, tmp_path: Path) -> None:
    street_with_a_year(store).close()
    cli = Cli(store)
    target = tmp_path / "report.xlsx"
    cli("export", STREET, "report", "--period", "2024", "-o", str(target))
    title = openpyxl.load_workbook(target)["类别"]["A1"].value
    assert "截至 2024-12-31" in str(title)


def test_a_bad_choice_is_one_line_and_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    street_with_a_year(store).close()
    cli = Cli(store)
    out = tmp_path / "exports"
    out.mkdir()
    _, err = cli("export", STREET, "report", "-o", str(out / "x.xlsx"), code=2)
    assert err.strip().count("\n") == 0
    assert "--period" in err
    assert list(out.iterdir()) == []

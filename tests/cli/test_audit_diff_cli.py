"""`tierledger audit diff` across business dates, as a district auditor reads it:
names of nodes and organizations, money in yuan, no internal keys."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import TYPE_CHECKING

from tests.cli.test_rollup_periods_cli import street_years
from tests.projections.periods import (
    END_2024,
    MID_2024,
    PAINTERS,
    PAINTERS_NAME,
    STREET,
)

if TYPE_CHECKING:
    from pathlib import Path

    from tests.cli.conftest import Cli

ACROSS = ("--as-of-from", MID_2024, "--as-of-to", END_2024)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_a_diff_across_dates_reads_in_names_and_yuan(cli: Cli, tmp_path: Path) -> None:
    street_years(cli, tmp_path)
    out, _ = cli("audit", "diff", STREET, *ACROSS)
    assert "招宝山街道 (330211001)" in out
    assert "胜利路社区 (330211001002)" in out
    assert f"{PAINTERS_NAME} ({PAINTERS})" in out
    assert "class rating: 二类" in out
    assert "+2500.00 yuan (+1 decision(s))" in out
    assert "3500.00 yuan (1 decision(s))" in out
    assert "2 fact(s) made the difference" in out
    # Check nothing an auditor cannot read: no ids, no fen, no paths, no None.
    assert not UUID.search(out)
    assert "250000" not in out
    assert "children/" not in out
    assert "None" not in out


def test_a_diff_in_json_stays_typed_with_fen(cli: Cli, tmp_path: Path) -> None:
    street_years(cli, tmp_path)
    out, _ = cli("audit", "diff", STREET, *ACROSS, "--format", "json")
    found = json.loads(out)
    assert (found["from"]["as_of"], found["to"]["as_of"]) == (MID_2024, END_2024)
    assert found["from"]["known_pos"] == found["to"]["known_pos"]
    [street, _total] = found["money"]
    money = street["period"], street["from"]["total_fen"], street["to"]["total_fen"]
    assert money == ("2024", 3500_00, 6000_00)
    assert [f["type"] for f in found["facts"]] == ["GradeEvaluated", "SubsidyDecided"]


def test_a_diff_asked_wrongly_is_one_line_and_exit_2(cli: Cli, tmp_path: Path) -> None:
    street_years(cli, tmp_path)
    _, err = cli("audit", "diff", STREET, code=2)
    assert err.startswith("error[invalid-field]: say what to compare")
    _, err = cli("audit", "diff", STREET, "--as-of-from", END_2024,
                 "--as-of-to", MID_2024, code=2)  # fmt: skip
    assert err.startswith("error[invalid-field]: as_of_from 2024-12-31 is after")
    _, err = cli("audit", "diff", STREET, "--as-of-from", "2024-06-31",
                 "--as-of-to", END_2024, code=2)  # fmt: skip
    assert err.startswith("error[invalid-date]: as_of_from '2024-06-31'")
    assert len(err.strip().splitlines()) == 1


def test_a_chinese_shell_reads_the_diff_in_chinese(cli: Cli, tmp_path: Path) -> None:
    street_years(cli, tmp_path)
    env = {**os.environ, **cli.env, "LANG": "zh_CN.UTF-8", "LC_ALL": "",
           "LANGUAGE": "", "LC_MESSAGES": ""}  # fmt: skip
    shown = subprocess.run(
        [sys.executable, "-m", "cli", "audit", "diff", STREET, *ACROSS],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "汇总表变化：2024-06-30 有效的事实 → 2024-12-31 有效的事实" in shown
    assert "分类评定：二类" in shown
    assert "+2500.00 元（+1 笔）" in shown
    assert "补助决定" in shown
    assert f"{PAINTERS_NAME}（{PAINTERS}）" in shown


def test_dates_between_which_nothing_came_into_force_say_so(
    cli: Cli, tmp_path: Path
) -> None:
    street_years(cli, tmp_path)
    out, _ = cli("audit", "diff", STREET, "--as-of-from", "2022-06-01",
                 "--as-of-to", "2022-07-01")  # fmt: skip
    assert "to what was in force on 2022-07-01: nothing changed" in out
    assert "0 fact(s) made the difference" in out

"""`tierledger view NODE rollup [--period P]`: one money column per period, in yuan."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from hypothesis import given
from hypothesis import strategies as st

from cli.view_output import rollup_rows
from domain.money import format_yuan
from projections.models.rollup import Rollup
from tests.projections.periods import STREET, YUAN, two_years

if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from tests.cli.conftest import Cli


def street_years(cli: Cli, tmp_path: Path) -> None:
    """招宝山街道 with its two years, imported from a JSON-lines file."""
    cli("init", STREET)
    lines = [json.dumps({"type": t, "data": d}, ensure_ascii=False)
             for t, d in two_years()]  # fmt: skip
    facts = tmp_path / "two-years.jsonl"
    facts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli("import", STREET, str(facts))


def rows(cli: Cli, *args: str) -> list[dict[str, str]]:
    out, _ = cli("view", STREET, "rollup", "--as-of", "2024-12-31", "--format",
                 "csv", *args)  # fmt: skip
    return list(csv.DictReader(io.StringIO(out)))


def test_csv_has_a_money_column_per_period_in_yuan(cli: Cli, tmp_path: Path) -> None:
    street_years(cli, tmp_path)
    found = rows(cli)
    money = [c for c in found[0] if "yuan" in c]
    assert money == ["2023 (yuan)", "2024 (yuan)"]
    street, total = found[0], found[-1]
    assert (street["code"], street["name"]) == (STREET, "招宝山街道")
    assert (street["2023 (yuan)"], street["2024 (yuan)"]) == ("4250.00", "6000.00")
    assert (street["2023 decisions"], street["2024 decisions"]) == ("2", "2")
    assert (total["name"], total["filed"]) == ("total", "2")
    assert (total["2023 (yuan)"], total["2024 (yuan)"]) == ("4250.00", "6000.00")
    assert "10250.00" not in json.dumps(found)  # the two years are never added up


def test_one_period_shows_its_total_and_each_funding_source(
    cli: Cli, tmp_path: Path
) -> None:
    street_years(cli, tmp_path)
    found = rows(cli, "--period", "2024")
    total = found[-1]
    assert [c for c in total if "yuan" in c] == [
        "2024 (yuan)",
        "2024 street budget (yuan)",
        "2024 community budget (yuan)",
    ]
    assert [total[c] for c in total if "yuan" in c] == ["6000.00", "3600.00", "2400.00"]
    table, _ = cli("view", STREET, "rollup", "--as-of", "2024-12-31", "--period",
                   "2024")  # fmt: skip
    assert "period 2024" in table
    assert "6000.00" in table
    assert "4250.00" not in table


def test_json_keeps_integer_fen_per_period(cli: Cli, tmp_path: Path) -> None:
    street_years(cli, tmp_path)
    out, _ = cli("view", STREET, "rollup", "--as-of", "2024-12-31", "--format",
                 "json", "--period", "2023")  # fmt: skip
    found = json.loads(out)
    assert (found["period"], found["periods"]) == ("2023", ["2023"])
    [total] = found["totals"]["subsidies"]
    assert (total["period"], total["total_fen"]) == ("2023", YUAN["2023"])


def test_a_period_for_another_view_or_a_bad_period_is_one_line(
    cli: Cli, tmp_path: Path
) -> None:
    street_years(cli, tmp_path)
    _, err = cli("view", STREET, "org", "城东舞蹈队", "--period", "2024", code=2)
    assert err.startswith("error[invalid-field]: --period is for the roll-up and")
    _, err = cli("view", STREET, "rollup", "--period", "2024 年", code=2)
    assert err.startswith("error[invalid-field]: period ")
    assert len(err.strip().splitlines()) == 1


PERIODS = st.sampled_from(["2022", "2023", "2024", "2024H2"])
LINES = st.lists(
    st.tuples(st.sampled_from(["330211001001", "330211001002"]), PERIODS,
              st.sampled_from(["日常活动补助", "公益创投"]),
              st.integers(1, 5), st.integers(0, 10**9)),
    max_size=12,
)  # fmt: skip


@given(lines=LINES)
def test_each_period_column_holds_that_periods_money_only(
    lines: list[tuple[str, str, str, int, int]],
) -> None:
    rollup = Rollup.model_validate(_rollup_of(lines))
    found = {row["code"]: row for row in rollup_rows(rollup)}
    periods = sorted({period for _, period, *_ in lines})
    for code, row in found.items():
        assert [c for c in row if "yuan" in c] == [f"{p} (yuan)" for p in periods]
        for period in periods:
            fen = sum(f for c, p, _, _, f in lines if p == period and code in ("", c))
            assert row[f"{period} (yuan)"] == format_yuan(fen)


def _rollup_of(lines: list[tuple[str, str, str, int, int]]) -> dict[str, Any]:
    """A roll-up whose children decided ``lines`` (code, period, program, count,
    fen), totalled per period as the projection totals them."""
    counts = {"filed": 0, "registered": {}, "registered_total": 0,
              "deregistered": 0, "revoked": 0, "upgrades": 0}  # fmt: skip
    children: dict[str, dict[str, Any]] = {}
    totals: dict[str, dict[str, Any]] = {}
    for code, period, program, count, fen in lines:
        child = children.setdefault(code, {"code": code, "name": code,
                                           "organizations": counts, "grades": {},
                                           "subsidies": []})  # fmt: skip
        child["subsidies"].append({"period": period, "program": program,
                                   "tier": "community", "count": count,
                                   "total_fen": fen, "by_source": {}})  # fmt: skip
        empty = {"period": period, "count": 0, "total_fen": 0, "by_source": {}}
        total = totals.setdefault(period, empty)
        total["count"] += count
        total["total_fen"] += fen
    return {"node": STREET, "as_of": "2024-12-31", "known_pos": 1, "period": None,
            "periods": sorted(totals), "children": list(children.values()),
            "totals": {"organizations": counts,
                       "subsidies": [totals[p] for p in sorted(totals)]}}  # fmt: skip

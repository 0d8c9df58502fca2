"""`tierledger view` and `rebuild` on both stores: JSON is the contract."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from tests.cli.conftest import NODE, Cli
from tests.factories import filing, subsidy

if TYPE_CHECKING:
    from typing import Any


def recorded(cli: Cli) -> None:
    cli.record("OrganizationFiled", filing("镇民备2021001号", "城东“银龄”舞蹈队"))
    cli.record(
        "GradeEvaluated",
        {"org": "镇民备2021001号", "scheme": "class", "grade": "一类",
         "effective_on": "2024-11-20"},
    )  # fmt: skip
    cli.record("SubsidyDecided", subsidy("镇民备2021001号"))


def as_json(cli: Cli, *args: str) -> Any:
    out, _ = cli("view", NODE, *args, "--format", "json")
    return json.loads(out)


def test_views_answer_as_of_a_date_in_json_csv_and_tables(cli: Cli) -> None:
    recorded(cli)
    registry = as_json(cli, "registry", "--as-of", "2024-12-31")
    assert [o["name"] for o in registry] == ["城东“银龄”舞蹈队"]
    assert registry[0]["grades"]["class"]["grade"] == "一类"
    assert registry[0]["subsidies"] == {"count": 1, "total_fen": 350_000}
    assert as_json(cli, "registry", "--as-of", "2021-01-01") == []
    rollup = as_json(cli, "rollup", "--as-of", "2024-12-31")
    assert rollup["totals"]["organizations"]["filed"] == 1
    assert rollup["children"][0]["grades"] == {"class": {"一类": 1}}
    out, _ = cli("view", NODE, "rollup", "--as-of", "2024-12-31", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["name"] == "城东社区"
    assert row["class:一类"] == "1"
    assert (row["2024 decisions"], row["2024 (yuan)"]) == ("1", "3500.00")
    table, _ = cli("view", NODE, "org", "镇民备2021001号")
    assert "城东“银龄”舞蹈队" in table
    assert "SubsidyDecided" in table


def test_views_answer_as_known_at_an_instant(cli: Cli) -> None:
    recorded(cli)
    assert as_json(cli, "registry", "--known-at", "2000-01-01T00:00:00Z") == []
    assert len(as_json(cli, "registry", "--known-at", "2999-01-01T00:00:00+08:00")) == 1


def test_rebuild_gives_the_same_views(cli: Cli) -> None:
    recorded(cli)
    before = as_json(cli, "rollup")
    out, _ = cli("rebuild", NODE)
    assert "1 organizations" in out
    assert as_json(cli, "rollup") == before


def test_bad_view_requests_get_one_line_and_exit_2(cli: Cli) -> None:
    _, err = cli("view", NODE, "registry", "--as-of", "2024-13-01", code=2)
    assert err.startswith("error[invalid-date]: as_of '2024-13-01'")
    _, err = cli("view", NODE, "registry", "--known-at", "2024-01-01T08:00", code=2)
    assert "needs a UTC offset" in err
    _, err = cli("view", NODE, "org", code=2)
    assert err.startswith("error[invalid-field]")
    _, err = cli("view", NODE, "org", "镇民备9999号", code=2)
    assert err.startswith("error[unknown-organization]")

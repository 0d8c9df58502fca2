"""`tierledger find` and the registry's filters on both stores: the JSON is the
contract, a wrong filter one line and exit 2."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

import pytest

from tests.cli.conftest import NODE, Cli
from tests.factories import filing, subsidy

if TYPE_CHECKING:
    from typing import Any

NAMES = {
    "镇民备2021001号": "城东“银龄”舞蹈队",
    "镇民备2021002号": "城东书画社",
    "镇民备2023003号": "招宝山书画社19",
}


def recorded(cli: Cli) -> None:
    for number, name in NAMES.items():
        on = f"{number[3:7]}-03-01"
        cli.record("OrganizationFiled", filing(number, name, effective_on=on))
    cli.record(
        "GradeEvaluated",
        {"org": "镇民备2021002号", "scheme": "class", "grade": "一类",
         "effective_on": "2024-11-20"},
    )  # fmt: skip
    cli.record("SubsidyDecided", subsidy("镇民备2021002号"))


def found(cli: Cli, *args: str) -> Any:
    out, _ = cli("find", NODE, *args, "--format", "json")
    return json.loads(out)


def names(page: Any) -> list[str]:
    return [org["name"] for org in page["items"]]


def test_find_matches_any_part_of_a_name_or_filing_number(cli: Cli) -> None:
    recorded(cli)
    assert names(found(cli, "书画")) == ["城东书画社", "招宝山书画社19"]
    assert names(found(cli, "书画社19")) == ["招宝山书画社19"]
    assert names(found(cli, "2021002")) == ["城东书画社"]
    assert names(found(cli, "书画社１９")) == ["招宝山书画社19"]  # full-width
    page = found(cli, "书画", "--limit", "1")
    assert (page["total"], page["offset"], page["limit"]) == (2, 0, 1)
    assert names(page) == ["城东书画社"]
    assert names(found(cli, "书画", "--offset", "1")) == ["招宝山书画社19"]


def test_find_stands_at_a_date_and_takes_the_filters(cli: Cli) -> None:
    recorded(cli)
    assert names(found(cli, "书画", "--as-of", "2022-12-31")) == ["城东书画社"]
    assert names(found(cli, "书画", "--known-at", "2000-01-01T00:00:00Z")) == []
    assert names(found(cli, "城东", "--grade", "一类")) == ["城东书画社"]
    assert names(found(cli, "城东", "--period", "2024")) == ["城东书画社"]
    assert names(found(cli, "城东", "--status", "备案")) == [
        "城东“银龄”舞蹈队",
        "城东书画社",
    ]
    assert names(found(cli, "城东", "--status", "registered")) == []
    assert names(found(cli, "城东", "--community", NODE, "--street", NODE[:9])) == [
        "城东“银龄”舞蹈队",
        "城东书画社",
    ]
    assert names(found(cli, "城东", "--category", "文体活动")) == [
        "城东“银龄”舞蹈队",
        "城东书画社",
    ]


def test_find_prints_a_table_and_csv(cli: Cli) -> None:
    recorded(cli)
    table, _ = cli("find", NODE, "书画", "--limit", "1")
    assert "城东书画社" in table
    assert "1–1 of 2 shown: --offset 1" in table
    out, _ = cli("find", NODE, "书画社", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["name"] for row in rows] == ["城东书画社", "招宝山书画社19"]
    assert rows[0]["subsidies (yuan)"] == "3500.00"


def test_view_registry_takes_the_same_filters(cli: Cli) -> None:
    recorded(cli)
    out, _ = cli("view", NODE, "registry", "--grade", "一类", "--format", "json")
    assert [org["name"] for org in json.loads(out)] == ["城东书画社"]
    out, _ = cli("view", NODE, "registry", "--format", "json")
    assert len(json.loads(out)) == len(NAMES)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["find", NODE, "书画", "--status", "active"], "invalid-field"),
        (["find", NODE, "书画", "--grade", "6A"], "invalid-grade"),
        (["find", NODE, "书画", "--street", NODE], "invalid-node-code"),
        (["find", NODE, "书画", "--community", "330211002001"], "invalid-field"),
        (["find", NODE, "书画", "--legal-form", "company"], "invalid-field"),
        (["find", NODE, "书画", "--category", "体育健身"], "invalid-field"),
        (["find", NODE, "书画", "--period", "1999"], "invalid-field"),
        (["find", NODE, "书画", "--format", "xml"], "invalid-option"),
        (["find", NODE, " "], "invalid-field"),
        (["view", NODE, "rollup", "--status", "filed"], "invalid-field"),
        (["view", NODE, "registry", "--period", "1999"], "invalid-field"),
    ],
)
def test_a_wrong_filter_is_one_line_and_exit_2(
    cli: Cli, args: list[str], code: str
) -> None:
    recorded(cli)
    out, err = cli(*args, code=2)
    assert out == ""
    assert err.startswith(f"error[{code}]: ")
    assert err.count("\n") == 1

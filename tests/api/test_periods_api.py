"""`GET /rollup?period=` and `GET /audit/diff?as_of_from=&as_of_to=` over HTTP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from infrastructure.tokens import TokenStore
from tests.api.test_sync_api import assert_problem
from tests.projections.delivery import open_node
from tests.projections.periods import END_2024, MID_2024, STREET, YUAN, two_years

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store


@pytest.fixture
def api(store: Store) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """招宝山街道's API after two years, and an auditor's header."""
    node = open_node(store, STREET)
    node.ledger.record_many(list(enumerate(two_years())))
    node.ledger.close()
    tokens = TokenStore(store.node_dir(NodeCode(STREET)) / "tokens.json")
    auditor = {"Authorization": f"Bearer {tokens.create('auditor')}"}
    with TestClient(create_app(NodeCode(STREET), store)) as client:
        yield client, auditor


def get(api: tuple[TestClient, dict[str, str]], path: str, **params: str) -> Any:
    client, auditor = api
    return client.get(path, params=params, headers=auditor)


def test_the_rollup_answers_per_period_or_for_one(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    every = get(api, "/rollup", as_of=END_2024).json()
    assert every["periods"] == ["2023", "2024"]
    assert [(t["period"], t["total_fen"]) for t in every["totals"]["subsidies"]] == [
        ("2023", YUAN["2023"]),
        ("2024", YUAN["2024"]),
    ]
    one = get(api, "/rollup", as_of=END_2024, period="2023").json()
    assert (one["period"], one["periods"]) == ("2023", ["2023"])
    assert [t["total_fen"] for t in one["totals"]["subsidies"]] == [YUAN["2023"]]


def test_a_bad_period_is_a_problem_naming_the_field(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    body = assert_problem(get(api, "/rollup", period="2024 年"), 422, "invalid-field")
    assert body["field"] == "period"


def test_the_diff_compares_business_dates(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    found = get(api, "/audit/diff", as_of_from=MID_2024, as_of_to=END_2024)
    assert found.status_code == 200, found.text
    body = found.json()
    assert [f["type"] for f in body["facts"]] == ["GradeEvaluated", "SubsidyDecided"]
    assert {f["org_name"] for f in body["facts"]} == {"胜利路书画社"}
    assert body["money"][0]["node_name"] == "招宝山街道"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "as_of_from"),
        ({"as_of_from": MID_2024}, "as_of_to"),
        ({"as_of_from": END_2024, "as_of_to": MID_2024}, "as_of_from"),
        ({"as_of_from": MID_2024, "as_of_to": END_2024, "as_of": END_2024}, "as_of"),
        ({"from": "2025-01-01T00:00:00Z"}, "to"),
    ],
)
def test_a_diff_asked_wrongly_is_a_problem_naming_the_field(
    api: tuple[TestClient, dict[str, str]], params: dict[str, str], field: str
) -> None:
    body = assert_problem(get(api, "/audit/diff", **params), 422, "invalid-field")
    assert body["field"] == field

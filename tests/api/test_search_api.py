"""GET /organizations?q=: search and filters over HTTP, on both stores; a wrong filter
is a 422 problem naming it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from tests.api.test_sync_api import COMMUNITY, STREET, assert_problem, token
from tests.factories import filing
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

FILED = {
    "街备2024-001": ("城东“银龄”舞蹈队", COMMUNITY),
    "街备2024-002": ("招宝山书画社19", None),
    "街备2024-003": ("100%公益队", None),
}


@pytest.fixture
def api(store: Store) -> Iterator[tuple[TestClient, dict[str, str]]]:
    network = Network(store, [STREET, COMMUNITY])
    for number, (name, community) in FILED.items():
        extra = {"community": community} if community else {}
        network.nodes[STREET].ledger.record(
            "OrganizationFiled", filing(number, name, **extra)
        )
    with TestClient(create_app(NodeCode(STREET), network.store)) as client:
        yield client, token(network, STREET, "clerk")
    network.close()


def listed(api: tuple[TestClient, dict[str, str]], **params: Any) -> list[str]:
    client, clerk = api
    answer = client.get("/organizations", params=params, headers=clerk)
    assert answer.status_code == 200, answer.text
    return [org["name"] for org in answer.json()["items"]]


def test_q_finds_any_part_of_a_name_or_filing_number(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    assert listed(api, q="书画社19") == ["招宝山书画社19"]
    assert listed(api, q="2024-00") == [
        "100%公益队",
        "城东“银龄”舞蹈队",
        "招宝山书画社19",
    ]
    assert listed(api, q="%") == ["100%公益队"]
    assert listed(api, q="书画社１９") == ["招宝山书画社19"]
    assert listed(api, q="  ") == listed(api)  # blank: every organization
    assert listed(api, q="队", community=COMMUNITY) == ["城东“银龄”舞蹈队"]
    assert listed(api, q="队", street=STREET, status="filed", limit=1) == ["100%公益队"]
    assert listed(api, q="书画", as_of="2021-02-28") == []


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"status": "active"}, "invalid-field", "status"),
        ({"grade": "6A"}, "invalid-grade", "grade"),
        ({"street": COMMUNITY}, "invalid-node-code", "street"),
        ({"community": "330211002001"}, "invalid-field", "community"),
        ({"area": "330212"}, "invalid-field", "area"),
        ({"category": "体育健身"}, "invalid-field", "category"),
        ({"period": "1999"}, "invalid-field", "period"),
        ({"q": "书\u200b画"}, "invalid-field", "q"),
    ],
)
def test_a_wrong_filter_is_a_problem_naming_it(
    api: tuple[TestClient, dict[str, str]],
    params: dict[str, str],
    code: str,
    field: str,
) -> None:
    client, clerk = api
    answer = client.get("/organizations", params=params, headers=clerk)
    problem = assert_problem(answer, 422, code)
    assert problem["field"] == field


def test_a_wrong_filter_reads_in_chinese_when_asked(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, clerk = api
    answer = client.get(
        "/organizations",
        params={"street": COMMUNITY},
        headers={**clerk, "Accept-Language": "zh-CN"},
    )
    problem = assert_problem(answer, 422, "invalid-node-code")
    assert problem["detail"] == (
        f"street {COMMUNITY} 是社区（村）的代码，不是街道（乡镇）的代码"
    )

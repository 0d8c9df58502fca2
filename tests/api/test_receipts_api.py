"""Receipts over HTTP: what to check although a fact was recorded, in the reader's
language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from domain.values import today_in_china
from tests.api.test_sync_api import COMMUNITY, STREET, assert_problem, token
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

FILING: dict[str, Any] = {"filing_number": "街备2024-001", "name": "城东广场舞队",
                          "category": "广场舞", "community": COMMUNITY,
                          "effective_on": "2024-03-01"}  # fmt: skip


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [STREET, COMMUNITY])
    yield network
    network.close()


@pytest.fixture
def api(net: Network) -> Iterator[TestClient]:
    with TestClient(create_app(NodeCode(STREET), net.store)) as client:
        yield client


def test_an_unknown_category_is_recorded_and_its_receipt_warns(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, STREET, "clerk")
    body = {"type": "OrganizationFiled", "data": FILING}
    made = api.post("/facts", json=body, headers=clerk)
    assert made.status_code == 201, made.text
    (warning,) = made.json()["warnings"]
    assert warning.startswith('category "广场舞" is not one of')
    chinese = {**clerk, "Accept-Language": "zh-CN,zh;q=0.9"}
    again = api.post("/facts", json=body, headers=chinese)
    assert again.json()["already_recorded"] is True
    assert again.json()["warnings"][0].startswith("类别“广场舞”不属于")


def test_an_import_answers_each_receipt_with_its_warnings(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, STREET, "clerk")
    known = {**FILING, "filing_number": "街备2024-002", "category": "文体活动"}
    facts = [{"type": "OrganizationFiled", "data": data} for data in (known, FILING)]
    made = api.post("/facts/import", json={"facts": facts}, headers=clerk)
    assert made.status_code == 201, made.text
    first, second = made.json()["recorded"]
    assert first["warnings"] == []
    assert len(second["warnings"]) == 1


def test_a_receipt_states_the_date_and_flags_one_not_given(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, STREET, "clerk")
    dated = {**FILING, "category": "文体活动"}
    made = api.post("/facts", json={"type": "OrganizationFiled", "data": dated},
                    headers=clerk).json()  # fmt: skip
    assert (made["effective_on"], made["effective_on_defaulted"]) == (
        "2024-03-01",
        False,
    )
    assert made["warnings"] == []
    undated = {k: v for k, v in dated.items() if k != "effective_on"}
    undated["filing_number"] = "街备2024-009"
    chinese = {**clerk, "Accept-Language": "zh-CN"}
    made = api.post("/facts", json={"type": "OrganizationFiled", "data": undated},
                    headers=chinese).json()  # fmt: skip
    assert made["effective_on"] == today_in_china().isoformat()
    assert made["effective_on_defaulted"] is True
    assert made["warnings"][0].startswith("未填写业务日期（effective_on）")


def test_an_import_refuses_a_fact_without_its_date_naming_it(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, STREET, "clerk")
    before = api.get("/head", headers=clerk).json()
    undated = {k: v for k, v in FILING.items() if k != "effective_on"}
    facts = [{"type": "OrganizationFiled", "data": undated}]
    answer = api.post("/facts/import", json={"facts": facts}, headers=clerk)
    problem = assert_problem(answer, 422, "batch-rejected")
    (refused,) = problem["problems"]
    assert (refused["index"], refused["code"], refused["field"]) == (
        1,
        "missing-field",
        "effective_on",
    )
    assert api.get("/head", headers=clerk).json() == before


def test_a_check_says_when_the_date_would_be_todays(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, STREET, "clerk")
    undated = {k: v for k, v in FILING.items() if k != "effective_on"}
    for data, defaulted in ((FILING, False), (undated, True)):
        body = {"type": "OrganizationFiled", "data": data}
        checked = api.post("/facts/check", json=body, headers=clerk).json()
        assert checked["effective_on_defaulted"] is defaulted
    assert checked["fields"]["effective_on"] == today_in_china().isoformat()

"""Receipts over HTTP: what to check although a fact was recorded, in the reader's
language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from tests.api.test_sync_api import COMMUNITY, STREET, token
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

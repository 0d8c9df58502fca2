"""Look-alike text over HTTP: hidden characters and foreign digits are 422s naming
the field, and a full-width filing number is the organization already filed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from tests.api.test_sync_api import assert_problem, token
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

COMMUNITY = "330211001001"
FILED: dict[str, Any] = {
    "filing_number": "备2024-001",
    "name": "城东舞蹈队",
    "category": "文体活动",
    "effective_on": "2024-03-01",
}


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [COMMUNITY])
    yield network
    network.close()


@pytest.fixture
def api(net: Network) -> Iterator[TestClient]:
    with TestClient(create_app(NodeCode(COMMUNITY), net.store)) as client:
        yield client


def post(api: TestClient, net: Network, fact_type: str, data: dict[str, Any]) -> Any:
    clerk = token(net, COMMUNITY, "clerk")
    return api.post("/facts", json={"type": fact_type, "data": data}, headers=clerk)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("filing_number", "备2024-001\u200b", "U+200B"),
        ("filing_number", "备2024-001\U000e0020", "U+E0020"),
        ("name", "城东\u202e队", "U+202E"),
        ("name", "城东\u2066舞蹈队", "U+2066"),
        ("name", "城东舞蹈队\ufdd0", "U+FDD0"),
        ("category", "文体\u00ad活动", "U+00AD"),
    ],
)
def test_hidden_characters_are_refused_naming_field_and_code_point(
    api: TestClient, net: Network, field: str, value: str, named: str
) -> None:
    problem = assert_problem(
        post(api, net, "OrganizationFiled", FILED | {field: value}),
        422,
        "invalid-field",
    )
    assert problem["field"] == field
    assert named in problem["detail"]


def test_a_full_width_filing_number_is_not_a_second_organization(
    api: TestClient, net: Network
) -> None:
    assert post(api, net, "OrganizationFiled", FILED).status_code == 201
    look_alike = FILED | {"filing_number": "备２０２４－００１"}
    again = post(api, net, "OrganizationFiled", look_alike)
    assert again.status_code == 200
    assert again.json()["already_recorded"]
    renamed = look_alike | {"name": "另一个队"}
    assert_problem(
        post(api, net, "OrganizationFiled", renamed), 409, "duplicate-filing-number"
    )
    auditor = token(net, COMMUNITY, "auditor")
    assert api.get("/organizations", headers=auditor).json()["total"] == 1
    found = api.get(f"/organizations/{COMMUNITY}:备２０２４－００１", headers=auditor)
    assert found.status_code == 200
    assert found.json()["name"] == "城东舞蹈队"


@pytest.mark.parametrize("amount", ["３５００", "٣٥٠٠"])
def test_money_in_foreign_digits_is_refused(
    api: TestClient, net: Network, amount: str
) -> None:
    assert post(api, net, "OrganizationFiled", FILED).status_code == 201
    decided = {
        "org": "备2024-001",
        "program": "日常补助",
        "period": "2024",
        "amount": amount,
        "shares": {"street": amount},
    }
    problem = assert_problem(
        post(api, net, "SubsidyDecided", decided), 422, "invalid-amount"
    )
    assert problem["field"] == "amount"

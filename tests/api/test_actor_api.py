"""Every fact recorded through the API names the token that recorded it, and auditors
see it: in the journal, on an organization's page and in its audit timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from infrastructure.tokens import TokenStore
from tests.api.test_sync_api import COMMUNITY, STREET, push_body, token
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

FILING: dict[str, Any] = {"filing_number": "街备2024-001", "name": "城东“银龄”舞蹈队",
                          "category": "文体活动", "community": COMMUNITY,
                          "effective_on": "2024-03-01"}  # fmt: skip
GRADE: dict[str, Any] = {"org": "街备2024-001", "scheme": "class", "grade": "一类",
                         "effective_on": "2024-11-20"}  # fmt: skip


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [STREET, COMMUNITY])
    yield network
    network.close()


@pytest.fixture
def api(net: Network) -> Iterator[TestClient]:
    with TestClient(create_app(NodeCode(STREET), net.store)) as client:
        yield client


def issue(net: Network, role: str) -> tuple[str, dict[str, str]]:
    """A new token of ``role`` at the street: its id and its header."""
    tokens = TokenStore(net.store.node_dir(NodeCode(STREET)) / "tokens.json")
    token = tokens.create(role)
    entry = tokens.authenticate(token)
    assert entry is not None
    return entry.id, {"Authorization": f"Bearer {token}"}


def test_each_fact_names_the_clerk_token_that_recorded_it(
    net: Network, api: TestClient
) -> None:
    first, one = issue(net, "clerk")
    second, other = issue(net, "clerk")
    _, auditor = issue(net, "auditor")
    filed = api.post("/facts", json={"type": "OrganizationFiled", "data": FILING},
                     headers=one)  # fmt: skip
    assert filed.status_code == 201, filed.text
    imported = api.post(
        "/facts/import",
        json={"facts": [{"type": "GradeEvaluated", "data": GRADE}]},
        headers=other,
    )
    assert imported.status_code == 201, imported.text
    facts = api.get("/facts", params={"after": 2}, headers=auditor).json()
    assert [(f["type"], f["actor"]) for f in facts] == [
        ("OrganizationFiled", f"token:{first}"),
        ("GradeEvaluated", f"token:{second}"),
    ]
    org = api.get("/organizations/街备2024-001", headers=auditor).json()
    assert [(f["type"], f["actor"]) for f in org["timeline"]] == [
        ("OrganizationFiled", f"token:{first}"),
        ("GradeEvaluated", f"token:{second}"),
    ]
    timeline = api.get("/audit/timeline/街备2024-001", headers=auditor).json()
    assert [f["actor"] for f in timeline["in_knowledge_order"]] == [
        f"token:{first}",
        f"token:{second}",
    ]
    assert net.nodes[STREET].ledger.verify().ok


def test_the_same_fact_offered_by_another_token_keeps_its_first_actor(
    net: Network, api: TestClient
) -> None:
    first, one = issue(net, "clerk")
    _, other = issue(net, "clerk")
    _, auditor = issue(net, "auditor")
    body = {"type": "OrganizationFiled", "data": FILING}
    assert api.post("/facts", json=body, headers=one).status_code == 201
    again = api.post("/facts", json=body, headers=other)
    assert again.json()["already_recorded"] is True
    facts = api.get("/facts", params={"after": 2}, headers=auditor).json()
    assert [f["actor"] for f in facts] == [f"token:{first}"]


def test_operators_acts_over_http_name_their_token(
    net: Network, api: TestClient
) -> None:
    clerk_id, clerk = issue(net, "clerk")
    _, auditor = issue(net, "auditor")
    child = "330211001002"
    key = "uXkE0ux0RXXOha5zT/CxpigmUHlIQ294SVoZDRughDU="
    enrolled = api.post("/sync/children", json={"child": child, "public_key": key},
                        headers=clerk)  # fmt: skip
    assert enrolled.status_code == 201, enrolled.text
    api.post("/sync/checkpoint", headers=clerk)
    facts = api.get("/facts", params={"after": 2}, headers=auditor).json()
    assert [(f["type"], f["actor"]) for f in facts] == [
        ("ChildEnrolled", f"token:{clerk_id}"),
        ("Checkpoint", None),  # attributed by its signature
    ]


def test_a_pushed_fact_keeps_its_actor_at_the_parent(
    net: Network, api: TestClient
) -> None:
    community = net.opened[COMMUNITY]
    filed = {**FILING, "filing_number": "镇民备2024001号"}
    community.record("OrganizationFiled", filed, actor="user:王秀英")
    body = push_body(net)
    peer = token(net, STREET, "peer", COMMUNITY)
    pushed = api.post("/ingest", json=body, headers=peer)
    assert pushed.status_code == 200, pushed.text
    _, auditor = issue(net, "auditor")
    timeline = api.get(
        f"/audit/timeline/{COMMUNITY}:镇民备2024001号", headers=auditor
    ).json()
    assert [(f["origin"], f["actor"]) for f in timeline["in_knowledge_order"]] == [
        (COMMUNITY, "user:王秀英")
    ]


def test_the_journal_documents_say_what_the_actor_is(api: TestClient) -> None:
    schema = api.get("/openapi.json").json()["components"]["schemas"]
    described = schema["FactDocument"]["properties"]["actor"]["description"]
    assert "token:ID" in described

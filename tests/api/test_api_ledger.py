"""The node's API: facts in, views out, roles on every route, problem+json errors."""

from __future__ import annotations

import base64
import itertools
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from sync import runner
from sync.local import LocalPeer
from tests.api.test_sync_api import COMMUNITY, STREET, assert_problem, push_body, token
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

FILING: dict[str, Any] = {"filing_number": "街备2024-001", "name": "城东“银龄”舞蹈队",
                          "category": "文体活动", "community": COMMUNITY,
                          "effective_on": "2024-03-01"}  # fmt: skip
FILED: dict[str, Any] = {"type": "OrganizationFiled", "data": FILING}


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [STREET, COMMUNITY])
    network.record(COMMUNITY, 3)
    yield network
    network.close()


@pytest.fixture
def api(net: Network) -> Iterator[TestClient]:
    with TestClient(create_app(NodeCode(STREET), net.store)) as client:
        yield client


def test_a_clerk_records_and_an_auditor_reads_chinese_unchanged(
    net: Network, api: TestClient
) -> None:
    clerk, auditor = token(net, STREET, "clerk"), token(net, STREET, "auditor")
    made = api.post("/facts", json=FILED, headers=clerk)
    assert made.status_code == 201, made.text
    receipt = made.json()
    assert receipt["type"] == "OrganizationFiled"
    assert len(receipt["hash"]) == 64
    org = api.get(f"/organizations/{receipt['org_id']}", headers=auditor).json()
    assert org["name"] == "城东“银龄”舞蹈队"
    listed = api.get("/organizations", params={"area": COMMUNITY}, headers=clerk).json()
    assert [o["name"] for o in listed["items"]] == ["城东“银龄”舞蹈队"]
    head = api.get("/head", headers=auditor).json()
    assert head["seq"] == receipt["seq"]


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"type": "OrganizationRegistered",
          "data": {"uscc": "51100000500002862A", "name": "协会",
                   "legal_form": "social_group"}},
         422, "invalid-uscc", "uscc"),
        ({"type": "OrganizationFiled", "data": {**FILING, "colour": "红"}},
         422, "invalid-input", "body.OrganizationFiled.data.colour"),
        ({"type": "Nonsense", "data": {}}, 422, "invalid-input", "body"),
        ({"type": "SubsidyDecided",
          "data": {"org": "街备2024-001", "program": "补助", "period": "2024",
                   "amount": "-1", "shares": {"street": "1"}}},
         422, "invalid-amount", "amount"),
        ({"type": "OrganizationFiled",
          "data": {**FILING, "effective_on": "2024-02-30"}},
         422, "invalid-date", "effective_on"),
        ({"type": "OrganizationFiled",
          "data": {**FILING, "responsible_person": {
              "name": "王秀英", "id_number": "330211198001010010"}}},
         422, "invalid-id-number", "responsible_person.id_number"),
    ],
)  # fmt: skip
def test_bad_facts_are_refused_naming_the_field_and_nothing_is_recorded(
    net: Network, api: TestClient, body: Any, status: int, code: str, field: str
) -> None:
    clerk = token(net, STREET, "clerk")
    before = api.get("/head", headers=clerk).json()
    problem = assert_problem(api.post("/facts", json=body, headers=clerk), status, code)
    assert problem["field"].startswith(field)
    assert api.get("/head", headers=clerk).json() == before


def test_an_invariant_violation_is_409(net: Network, api: TestClient) -> None:
    clerk = token(net, STREET, "clerk")
    assert api.post("/facts", json=FILED, headers=clerk).status_code == 201
    another = {"type": "OrganizationFiled", "data": {**FILING, "name": "另一个队"}}
    assert_problem(api.post("/facts", json=another, headers=clerk), 409,
                   "duplicate-filing-number")  # fmt: skip


def test_the_same_fact_offered_again_is_already_recorded(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, STREET, "clerk")
    first = api.post("/facts", json=FILED, headers=clerk)
    again = api.post("/facts", json=FILED, headers=clerk)
    assert again.status_code == 200, again.text
    assert again.json()["already_recorded"] is True
    assert again.json()["seq"] == first.json()["seq"]


ROLES = ("clerk", "auditor", "peer")
ROUTES: list[tuple[str, str, set[str]]] = [
    ("GET", "/head", {"clerk", "auditor", "peer"}),
    ("POST", "/facts", {"clerk"}),
    ("POST", "/facts/check", {"clerk"}),
    ("GET", "/facts", {"auditor"}),
    ("GET", "/organizations", {"clerk", "auditor"}),
    ("GET", f"/organizations/{STREET}:街备2024-001", {"clerk", "auditor"}),
    ("GET", "/rollup", {"clerk", "auditor"}),
    ("GET", "/reconciliation", {"clerk", "auditor"}),
    ("GET", "/audit/verify", {"auditor"}),
    ("GET", "/audit/diff?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z",
     {"auditor"}),
    ("GET", f"/audit/timeline/{STREET}:街备2024-001", {"auditor"}),
    ("GET", "/sync/status", {"clerk", "auditor"}),
    ("GET", "/feed", {"peer"}),
    ("POST", "/ingest", {"peer"}),
    ("GET", f"/sync/cursor?source={COMMUNITY}", {"peer"}),
    ("POST", "/facts/import", {"clerk"}),
    ("POST", "/sync/children", {"clerk"}),
    ("POST", "/sync/checkpoint", {"clerk"}),
    ("POST", "/sync/forks/resolve", {"clerk"}),
    ("POST", "/views/rebuild", {"clerk"}),
]  # fmt: skip
"""Every route but /health, which answers everyone (checked last)."""
BODIES: dict[str, Any] = {
    "/sync/children": {"child": "330211001002",
                       "public_key": base64.b64encode(bytes(32)).decode()},
    "/sync/forks/resolve": {"origin": COMMUNITY, "seq": 1, "note": "核对无误"},
}  # fmt: skip
PASSED_THE_GATE = {"/sync/forks/resolve": (422,)}
"""No fork is open: past the role check, the domain answers "no open fork"."""
SERIALS = itertools.count(2)
"""Filing numbers for the matrix's accepted filings (001 is recorded first)."""
RELATIONS = ("this node", "its child", "its parent", "none")
"""Whose token is presented: tokens are issued per node, so only this node's count."""


def call(api: TestClient, net: Network, method: str, path: str, headers: Any) -> Any:
    body: Any = BODIES.get(path)
    if path in ("/facts", "/facts/import", "/facts/check"):
        number = f"街备2024-{next(SERIALS):03d}"
        fact = {**FILED, "data": {**FILING, "filing_number": number}}
        body = {"facts": [fact]} if path == "/facts/import" else fact
    elif path == "/ingest":
        body = push_body(net)
    return api.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "allowed"), ROUTES)
def test_authorization_matrix(
    net: Network, api: TestClient, method: str, path: str, allowed: set[str]
) -> None:
    """Every route x role x whose token it is: only this node's tokens of the
    allowed roles get in; other nodes' tokens are unknown here (401)."""
    runner.pull(net.nodes[STREET], LocalPeer(net.nodes[COMMUNITY], STREET))
    net.nodes[STREET].ledger.record(str(FILED["type"]), dict(FILING))
    issuer = {"this node": STREET, "its child": COMMUNITY, "its parent": "330211"}
    for relation in RELATIONS:
        for role in ROLES:
            if relation == "none":
                headers: dict[str, str] = {}
            else:
                # The feed is read by the parent's token, the rest by a child's.
                upward = path == "/feed"
                subject = (
                    ("330211" if upward else COMMUNITY) if role == "peer" else None
                )
                headers = token(net, issuer[relation], role, subject)
            response = call(api, net, method, path, headers)
            where = f"{method} {path} as {role} of {relation}"
            if relation != "this node":
                assert response.status_code == 401, where
            elif role in allowed:
                ok = PASSED_THE_GATE.get(path, (200, 201))
                assert response.status_code in ok, (where, response.text)
            else:
                assert_problem(response, 403, "forbidden")
    assert api.get("/health").status_code == 200


def test_a_fact_is_checked_without_being_recorded(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, STREET, "clerk")
    before = api.get("/head", headers=clerk).json()
    checked = api.post("/facts/check", json=FILED, headers=clerk)
    assert checked.status_code == 200, checked.text
    assert checked.json()["fields"]["filing_number"] == FILING["filing_number"]
    wrong = {**FILED, "data": {**FILING, "effective_on": "2024-02-30"}}
    problem = assert_problem(
        api.post("/facts/check", json=wrong, headers=clerk), 422, "invalid-date"
    )
    assert problem["field"] == "effective_on"
    assert api.get("/head", headers=clerk).json() == before

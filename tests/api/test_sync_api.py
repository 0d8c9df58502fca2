"""The sync endpoints over HTTP: tokens, roles, problem+json errors."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from infrastructure.tokens import TokenStore
from tests.sync.network import COMMUNITIES, STREETS, Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

STREET, COMMUNITY = STREETS[0], COMMUNITIES[0]


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [STREET, COMMUNITY])
    network.record(COMMUNITY, 4)
    yield network
    network.close()


@pytest.fixture
def street_api(net: Network) -> Iterator[TestClient]:
    with TestClient(create_app(NodeCode(STREET), net.store)) as client:
        yield client


def token(
    net: Network, node: str, role: str, subject: str | None = None
) -> dict[str, str]:
    issued = TokenStore(net.store.node_dir(NodeCode(node)) / "tokens.json").create(
        role, subject
    )
    return {"Authorization": f"Bearer {issued}"}


def push_body(net: Network) -> dict[str, Any]:
    node = net.nodes[COMMUNITY]
    node.checkpoint()
    page = node.feed(0, 500)
    return {
        "source": COMMUNITY,
        "feed_position": page.position,
        "source_head": page.head_seq,
        "facts": page.facts,
    }


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


def test_health_needs_no_token(street_api: TestClient) -> None:
    assert street_api.get("/health").json() == {"status": "ok", "node": STREET}


def test_sync_endpoints_need_a_peer_token(street_api: TestClient, net: Network) -> None:
    assert_problem(street_api.get("/feed"), 401, "unauthenticated")
    assert_problem(
        street_api.get("/feed", headers={"Authorization": "Bearer nope"}),
        401,
        "unauthenticated",
    )
    clerk = token(net, STREET, "clerk")
    assert_problem(street_api.get("/feed", headers=clerk), 403, "forbidden")
    peer = token(net, STREET, "peer", "330211")
    assert street_api.get("/feed", headers=peer).json()["node"] == STREET


def test_a_push_is_stored_once(street_api: TestClient, net: Network) -> None:
    peer = token(net, STREET, "peer", COMMUNITY)
    body = push_body(net)
    first = street_api.post("/ingest", json=body, headers=peer).json()
    again = street_api.post("/ingest", json=body, headers=peer).json()
    assert first["new"] == {COMMUNITY: [1, len(body["facts"])]}
    assert again["new"] == {}
    assert again["duplicates"] == len(body["facts"])
    cursor = street_api.get("/sync/cursor", params={"source": COMMUNITY}, headers=peer)
    assert cursor.json()["feed_position"] == body["feed_position"]


def test_a_token_pushes_only_for_its_own_node(
    street_api: TestClient, net: Network
) -> None:
    other = token(net, STREET, "peer", COMMUNITIES[1])
    body = assert_problem(
        street_api.post("/ingest", json=push_body(net), headers=other), 403, "forbidden"
    )
    assert COMMUNITIES[1] in body["detail"]


def test_an_altered_push_is_a_409_problem(street_api: TestClient, net: Network) -> None:
    peer = token(net, STREET, "peer", COMMUNITY)
    body = copy.deepcopy(push_body(net))
    body["facts"][1]["payload"]["effective_on"] = "2001-01-01"
    problem = assert_problem(
        street_api.post("/ingest", json=body, headers=peer), 409, "altered-fact"
    )
    assert "altered in transit" in problem["detail"]
    assert net.held(STREET, COMMUNITY) == []


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda b: b.pop("facts"), "body.facts"),
        (lambda b: b.update(source="33021100100x"), "body.source"),
        (lambda b: b.update(feed_position=-1), "body.feed_position"),
        (lambda b: b.update(facts=[{}] * 5001), "body.facts"),
        (lambda b: b.update(colour="red"), "body.colour"),
    ],
)
def test_malformed_bodies_are_422_naming_the_field(
    street_api: TestClient, net: Network, mutate: Any, field: str
) -> None:
    peer = token(net, STREET, "peer", COMMUNITY)
    body = push_body(net)
    mutate(body)
    problem = assert_problem(
        street_api.post("/ingest", json=body, headers=peer), 422, "invalid-input"
    )
    assert problem["field"] == field


def test_a_malformed_fact_is_a_422_problem(
    street_api: TestClient, net: Network
) -> None:
    peer = token(net, STREET, "peer", COMMUNITY)
    body = push_body(net)
    body["facts"][0]["type"] = "Nonsense"
    assert_problem(
        street_api.post("/ingest", json=body, headers=peer), 422, "malformed-fact"
    )


def test_oversize_bodies_are_413(street_api: TestClient, net: Network) -> None:
    peer = token(net, STREET, "peer", COMMUNITY)
    response = street_api.post(
        "/ingest",
        content=b"x" * 10,
        headers=peer | {"Content-Length": str(64 * 1024 * 1024)},
    )
    assert_problem(response, 413, "payload-too-large")


def test_tokens_are_stored_hashed(net: Network) -> None:
    headers = token(net, STREET, "peer", COMMUNITY)
    raw = headers["Authorization"].removeprefix("Bearer ")
    stored = (net.store.node_dir(NodeCode(STREET)) / "tokens.json").read_text()
    assert raw not in stored
    assert (
        net.store.node_dir(NodeCode(STREET)) / "tokens.json"
    ).stat().st_mode & 0o777 == 0o600

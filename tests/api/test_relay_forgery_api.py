"""Over HTTP: a street's forgery of its community's fact is refused with a stable
code; the parent's witness receipt comes back with every push."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from sync import runner
from tests.api.test_sync_api import assert_problem, token
from tests.sync.forgery import of_origin, rechain
from tests.sync.network import DISTRICT, Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

STREET, COMMUNITY = "330211001", "330211001001"


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [DISTRICT, STREET, COMMUNITY])
    network.record(COMMUNITY, 6)
    network.pull(STREET, COMMUNITY)
    yield network
    network.close()


@pytest.fixture
def district_api(net: Network) -> Iterator[TestClient]:
    with TestClient(create_app(NodeCode(DISTRICT), net.store)) as client:
        yield client


def test_a_forged_subsidy_pushed_by_the_street_is_refused(
    district_api: TestClient, net: Network
) -> None:
    street_token = token(net, DISTRICT, "peer", STREET)
    street = net.nodes[STREET]
    street.checkpoint()
    page = street.feed(0, 5000)
    body = {
        "source": STREET,
        "feed_position": page.position,
        "source_head": page.head_seq,
        "facts": page.facts,
    }
    answer = district_api.post("/ingest", json=body, headers=street_token)
    assert answer.status_code == 200, answer.text
    assert answer.json()["witness"]["child"] == STREET
    # The street appends a 99 999-yuan subsidy as the community's next fact.
    held = of_origin(page.facts, COMMUNITY)
    forged = copy.deepcopy(next(d for d in held if d["type"] == "SubsidyDecided"))
    forged["seq"] = held[-1]["seq"] + 1
    forged["payload"]["amount_fen"] = 9_999_900
    forged["payload"]["shares"] = {"street": 9_999_900}
    body["facts"] = rechain([forged], held[-1]["hash"])
    refused = district_api.post("/ingest", json=body, headers=street_token)
    problem = assert_problem(refused, 409, "uncovered-facts")
    assert COMMUNITY in problem["detail"]
    assert net.held(DISTRICT, COMMUNITY) == net.held(COMMUNITY, COMMUNITY)


def test_a_child_keeps_the_receipt_its_parent_returns(
    district_api: TestClient, net: Network
) -> None:
    class Http:
        """The district's API as the street's peer."""

        headers = token(net, DISTRICT, "peer", STREET)

        def cursor(self, source: str) -> int:
            found = district_api.get(
                "/sync/cursor", params={"source": source}, headers=self.headers
            )
            return int(found.json()["feed_position"])

        def ingest(self, body: dict[str, object]) -> dict[str, object]:
            answer = district_api.post("/ingest", json=body, headers=self.headers)
            assert answer.status_code == 200, answer.text
            found: dict[str, object] = answer.json()
            return found

    runner.push(net.nodes[STREET], Http())  # type: ignore[arg-type]
    kept = net.store.witnesses(NodeCode(STREET)).latest()
    assert kept is not None
    assert kept.parent == DISTRICT
    assert kept.seq == len(net.held(DISTRICT, STREET))
    assert net.nodes[STREET].verify_all()[STREET].witnessed_seq == kept.seq


def test_a_receipt_is_taken_only_from_the_parents_token(net: Network) -> None:
    with TestClient(create_app(NodeCode(COMMUNITY), net.store)) as community_api:
        kept = net.store.witnesses(NodeCode(COMMUNITY)).latest()
        assert kept is not None  # the street's pull handed it over
        receipt = kept.as_dict()
        stranger = token(net, COMMUNITY, "peer", "330211001002")
        answer = community_api.post("/sync/witness", json=receipt, headers=stranger)
        assert_problem(answer, 403, "forbidden")
        parent = token(net, COMMUNITY, "peer", STREET)
        assert (
            community_api.post(
                "/sync/witness", json=receipt, headers=parent
            ).status_code
            == 204
        )
        receipt["seq"] += 1  # no longer what the street signed
        answer = community_api.post("/sync/witness", json=receipt, headers=parent)
        assert_problem(answer, 422, "invalid-field")

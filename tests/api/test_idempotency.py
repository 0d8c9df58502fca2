"""Retries record nothing twice: Idempotency-Key on POST /facts and /facts/import,
and a re-run of the same facts finds them already recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from domain.errors import DuplicateEvaluationError
from testdata.generator import Generator
from tests.api.test_sync_api import assert_problem, token
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

COMMUNITY = "330211001001"
FILING: dict[str, Any] = {
    "type": "OrganizationFiled",
    "data": {
        "filing_number": "备2024-001",
        "name": "城东“银龄”舞蹈队",
        "category": "文体活动",
        "effective_on": "2024-03-01",
    },
}
GRADE: dict[str, Any] = {
    "type": "GradeEvaluated",
    "data": {
        "org": "备2024-001",
        "scheme": "class",
        "grade": "一类",
        "effective_on": "2024-11-01",
    },
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


def head(api: TestClient, net: Network) -> int:
    auditor = token(net, COMMUNITY, "auditor")
    seq: int = api.get("/head", headers=auditor).json()["seq"]
    return seq


def test_a_retried_post_returns_the_first_receipt_and_records_nothing(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, COMMUNITY, "clerk") | {"Idempotency-Key": "req-0001"}
    first = api.post("/facts", json=FILING, headers=clerk)
    assert first.status_code == 201, first.text
    after_first = head(api, net)
    again = api.post("/facts", json=FILING, headers=clerk)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert head(api, net) == after_first
    # The same key for another request is refused, naming the header.
    other = {**FILING, "data": {**FILING["data"], "name": "别的队"}}
    problem = assert_problem(
        api.post("/facts", json=other, headers=clerk), 422, "idempotency-key-reused"
    )
    assert problem["field"] == "Idempotency-Key"
    assert head(api, net) == after_first


def test_a_retried_import_returns_the_first_receipts(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, COMMUNITY, "clerk") | {"Idempotency-Key": "import-7"}
    body = {"facts": [FILING, GRADE]}
    first = api.post("/facts/import", json=body, headers=clerk)
    assert first.status_code == 201, first.text
    after_first = head(api, net)
    again = api.post("/facts/import", json=body, headers=clerk)
    assert again.json() == first.json()
    assert head(api, net) == after_first


def test_the_same_fact_posted_twice_without_a_key_is_recorded_once(
    net: Network, api: TestClient
) -> None:
    clerk = token(net, COMMUNITY, "clerk")
    first = api.post("/facts", json=FILING, headers=clerk).json()
    again = api.post("/facts", json=FILING, headers=clerk).json()
    assert again["seq"] == first["seq"]
    assert again["already_recorded"] is True
    assert first["already_recorded"] is False


def test_a_rerun_of_an_import_records_no_evaluation_twice(net: Network) -> None:
    ledger = net.nodes[COMMUNITY].ledger
    node = NodeCode(COMMUNITY)
    items = list(enumerate(Generator(node).years(2020, 2024, 8, [node]), start=1))
    first, _ = ledger.record_many(items)
    grades = sum(r.fact_type == "GradeEvaluated" for r in first)
    assert grades > 0
    head_after = ledger.head()
    # Check: the whole file again (as after a partial run) adds nothing.
    again, problems = ledger.record_many(items, partial=True)
    assert problems == []
    assert all(r.already_recorded for r in again)
    assert ledger.head() == head_after


def test_another_grade_on_the_same_day_is_refused(net: Network) -> None:
    ledger = net.nodes[COMMUNITY].ledger
    ledger.record(FILING["type"], FILING["data"])
    ledger.record(GRADE["type"], GRADE["data"])
    with pytest.raises(DuplicateEvaluationError) as caught:
        ledger.record(GRADE["type"], {**GRADE["data"], "grade": "二类"})
    assert "correct that fact" in caught.value.message

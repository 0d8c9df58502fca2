"""Property-based testing of the API against its own OpenAPI schema (schemathesis):
no 500s, and every response — errors included — matches what the schema says."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi import checks

from api.main import create_app
from domain.codes import NodeCode
from tests.api.test_sync_api import COMMUNITY, STREET, token
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

CHECKS = [
    schemathesis.checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
PEER_PATHS = ("/ingest", "/sync/cursor")
PARENT_PATHS = ("/feed", "/sync/witness")
"""Used with this node's parent's token; the other peer paths with a child's."""
SUBJECT = {"peer": COMMUNITY}
"""Peer tokens name the node they were issued to."""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A street with a community's facts and one of its own, its API running."""
    from infrastructure.stores import Store

    store = Store(tmp_path_factory.mktemp("schema") / "home", None)
    network = Network(store, [STREET, COMMUNITY])
    network.record(COMMUNITY, 6)
    app = create_app(NodeCode(STREET), store)
    with TestClient(app):  # runs the lifespan: the app's ledger and views open
        yield {
            "app": app,
            "headers": {
                role: token(
                    network, STREET, role, COMMUNITY if role == "peer" else None
                )
                for role in ("clerk", "auditor", "peer")
            }
            | {"parent": token(network, STREET, "peer", "330211")},
        }
    network.close()


def role_for(case: Any) -> str:
    """The token a real caller of this operation would hold."""
    if case.path in PARENT_PATHS:
        return "parent"
    if case.path in PEER_PATHS:
        return "peer"
    return "clerk" if case.method.upper() == "POST" else "auditor"


def test_every_operation_conforms_and_never_fails(served: dict[str, Any]) -> None:
    """Every operation, examples drawn from its schema (valid and near-valid)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", served["app"])
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 20
    calls: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def conforms(case: Any) -> None:
            headers = served["headers"][role_for(case)]
            case.call_and_validate(headers=headers, checks=CHECKS)
            calls.append(case.operation.label)

        conforms()
    assert len(set(calls)) == len(operations)  # every operation was exercised


def test_the_schema_documents_every_route_with_problem_errors(
    served: dict[str, Any],
) -> None:
    spec = served["app"].openapi()
    assert {"/facts", "/facts/import", "/organizations", "/organizations/{org}",
            "/rollup", "/reconciliation", "/audit/verify", "/audit/diff",
            "/head", "/sync/status", "/feed",
            "/ingest"} <= set(spec["paths"])  # fmt: skip
    post = spec["paths"]["/facts"]["post"]
    assert "application/problem+json" in post["responses"]["422"]["content"]
    body = post["requestBody"]["content"]["application/json"]
    assert "discriminator" in body["schema"]
    assert {"OrganizationFiled", "SubsidyDecided", "PolicyAdopted"} <= set(
        body["examples"]
    )

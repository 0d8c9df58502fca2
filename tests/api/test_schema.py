"""Property-based testing of the API against its own OpenAPI schema (schemathesis):
with every role's token, on both stores, data drawn valid and invalid, no answer is a
5xx, every error is problem+json, and every response matches what the schema says."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks

from api.main import create_app
from domain.codes import NodeCode
from service.exports import MEDIA_TYPES
from tests.api.test_sync_api import COMMUNITY, STREET, token
from tests.sync.network import DISTRICT, Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from fastapi import FastAPI

    from infrastructure.stores import Store


def problem_json(ctx: Any, response: Any, case: Any) -> None:
    """Every 4xx is RFC 9457 problem+json with the API's stable ``code``."""
    if 400 <= response.status_code < 500:
        kind = response.headers.get("content-type", [""])
        kind = kind[0] if isinstance(kind, list) else kind
        assert kind.startswith("application/problem+json"), kind
        body = response.json()
        assert body["status"] == response.status_code
        assert body["code"]
        assert body["type"].endswith(body["code"])


CHECKS = [
    schemathesis.checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
    problem_json,
]
ROLES = {
    "clerk": ("clerk", None),
    "auditor": ("auditor", None),
    "parent peer": ("peer", DISTRICT),
    "child peer": ("peer", COMMUNITY),
}
"""Every role a token of this street can have; peers by the direction they face."""
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 6}
"""Per operation, role and mode (about 1 300 calls a store): small enough for CI."""


def invalid_forms(operation: Any) -> bool:
    """Whether the operation takes anything that can be drawn invalid."""
    return bool(list(operation.iter_parameters()) or operation.body)


@pytest.fixture
def served(store: Store) -> Iterator[tuple[FastAPI, dict[str, dict[str, str]]]]:
    """A street with a community's facts and one of its own, its API running."""
    network = Network(store, [STREET, COMMUNITY])
    network.record(COMMUNITY, 6)
    app = create_app(NodeCode(STREET), store)
    tokens = {name: token(network, STREET, *issued) for name, issued in ROLES.items()}
    with TestClient(app):  # runs the lifespan: the app's ledger and views open
        yield app, tokens
    network.close()


def test_every_operation_with_every_role_conforms_and_never_fails(
    served: tuple[FastAPI, dict[str, dict[str, str]]],
) -> None:
    """Every operation x role x mode, examples drawn from the schema."""
    app, tokens = served
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 20
    called: set[tuple[str, str]] = set()
    for operation in operations:
        for role, headers in tokens.items():
            for mode, examples in EXAMPLES.items():
                if mode is GenerationMode.NEGATIVE and not invalid_forms(operation):
                    continue
                if calls(operation, mode, examples, headers):
                    called.add((operation.label, role))
    assert called == {(o.label, role) for o in operations for role in tokens}


def calls(
    operation: Any, mode: GenerationMode, examples: int, headers: dict[str, str]
) -> int:
    """Up to ``examples`` calls of the operation, each answer checked; how many."""
    made: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def conforms(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)
        made.append(case.operation.label)

    conforms()
    return len(made)


def test_the_schema_documents_every_route_with_problem_errors(
    sqlite_store: Store,
) -> None:
    spec = create_app(NodeCode(STREET), sqlite_store).openapi()
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


def test_every_route_declares_the_fields_it_answers(sqlite_store: Store) -> None:
    """Every success answer is a named model (or a list of them): no untyped
    object leaves a field undocumented."""
    spec = create_app(NodeCode(STREET), sqlite_store).openapi()
    untyped = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status, response in operation["responses"].items():
                if not status.startswith("2") or status == "204":
                    continue
                content = response["content"]
                if "application/json" not in content:  # a file to save (exports)
                    assert set(content) <= set(MEDIA_TYPES.values()), path
                    continue
                schema = content["application/json"]["schema"]
                named = schema.get("items", schema).get("$ref")
                if not named:
                    untyped.append(f"{method.upper()} {path} {status}")
    assert untyped == []
    schemas = spec["components"]["schemas"]
    assert {"Rollup", "RegistryPage", "OrganizationDetail", "ReconciliationReport",
            "Finding", "SyncStatus", "AuditDiff", "AuditTimeline",
            "Verification"} <= set(schemas)  # fmt: skip
    described = schemas["Rollup"]["properties"]["known_pos"]["description"]
    assert described.startswith("The node's view position")

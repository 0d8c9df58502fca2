"""An access line per request — method, route, status, ms — and nothing personal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.access_log import AccessLog
from api.main import create_app
from domain.codes import NodeCode
from tests.api.test_sync_api import COMMUNITY, token
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

LINE = re.compile(r"^(GET|POST) (\S+) (\d{3}) \d+\.\d ms$")
PHONE, ID_NUMBER = "13805741234", "33020319800101123X"
FILING = {"type": "OrganizationFiled", "data": {
    "filing_number": "备2024-001", "name": "城东“银龄”舞蹈队", "category": "文体活动",
    "effective_on": "2024-03-01",
    "responsible_person": {"name": "王秀英", "phone": PHONE}}}  # fmt: skip


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [COMMUNITY])
    yield network
    network.close()


@pytest.fixture
def api(net: Network) -> Iterator[TestClient]:
    with TestClient(create_app(NodeCode(COMMUNITY), net.store)) as client:
        yield client


def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tierledger.access"]


def test_each_request_logs_its_method_route_status_and_time(
    net: Network, api: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    clerk = token(net, COMMUNITY, "clerk")
    with caplog.at_level(logging.INFO, "tierledger.access"):
        api.get("/health")
        api.post("/facts", json=FILING, headers=clerk)
        api.get("/organizations/备2024-001", headers=clerk)
        api.get("/head")
        api.get("/static/redoc/redoc.standalone.js")
        api.get("/nowhere")
    found = [LINE.match(line) for line in access_lines(caplog)]
    assert all(found), access_lines(caplog)
    assert [m.groups()[:3] for m in found if m] == [
        ("GET", "/health", "200"),
        ("POST", "/facts", "201"),
        ("GET", "/organizations/{org}", "200"),
        ("GET", "/head", "401"),
        ("GET", "/static/{path}", "200"),
        ("GET", "-", "404"),
    ]


def test_no_token_query_or_personal_data_reaches_the_log(
    net: Network, api: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    clerk = token(net, COMMUNITY, "clerk")
    secret = clerk["Authorization"].removeprefix("Bearer ")
    with caplog.at_level(logging.DEBUG):
        api.post("/facts", json=FILING, headers=clerk)
        api.get(f"/organizations/{PHONE}", headers=clerk)
        api.get("/organizations", params={"q": ID_NUMBER}, headers=clerk)
        api.get(f"/no/such/{ID_NUMBER}", headers=clerk)
    # Everything the server logged (the test's own HTTP client logs its URLs).
    logged = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith("httpx")
    )
    assert len(access_lines(caplog)) == 4
    for private in (PHONE, ID_NUMBER, secret, "王秀英", "q="):
        assert private not in logged


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    number=st.from_regex(r"1[3-9][0-9]{9}|[0-9]{17}[0-9X]", fullmatch=True),
    where=st.sampled_from(["path", "query", "both"]),
)
def test_a_number_in_a_path_or_query_is_never_logged(
    api: TestClient, caplog: pytest.LogCaptureFixture, number: str, where: str
) -> None:
    path = f"/organizations/{number}" if where != "query" else "/organizations"
    params = {"q": number} if where != "path" else {}
    caplog.clear()
    with caplog.at_level(logging.INFO, "tierledger.access"):
        api.get(path, params=params)
    assert len(access_lines(caplog)) == 1
    assert number not in access_lines(caplog)[0]


def test_no_line_below_info(api: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "tierledger.access"):
        api.get("/health")
    assert access_lines(caplog) == []


async def _refusing(scope: Any, receive: Any, send: Any) -> None:
    raise RuntimeError("the app failed")


async def _silent(scope: Any, receive: Any, send: Any) -> None:
    return None


@pytest.mark.parametrize(
    ("app", "status"), [(_refusing, "500"), (_silent, "0")], ids=["raises", "silent"]
)
def test_an_app_that_fails_or_answers_nothing_is_still_logged(
    caplog: pytest.LogCaptureFixture, app: Any, status: str
) -> None:
    scope = {"type": "http", "method": "GET", "path": "/x", "root_path": ""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        return None

    with (
        caplog.at_level(logging.INFO, "tierledger.access"),
        contextlib.suppress(RuntimeError),
    ):
        asyncio.run(AccessLog(app)(scope, receive, send))
    assert access_lines(caplog)[0].split()[:3] == ["GET", "-", status]

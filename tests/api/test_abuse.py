"""A served node under abuse: oversize, malformed, deeply nested, invalid UTF-8 and
10 000 garbage requests from 16 concurrent clients change nothing, and it keeps
serving (a real server process, real HTTP, on both stores)."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.sync.test_processes import Node

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

CODE = "330211001001"
FILING = {"filing_number": "备1", "name": "城东“银龄”舞蹈队", "category": "文体活动",
          "effective_on": "2024-03-01"}  # fmt: skip
GARBAGE = 10_000
CLIENTS = 16
PATHS = ("/facts", "/facts/import", "/ingest", "/organizations", "/organizations/x",
         "/rollup", "/reconciliation", "/feed", "/head", "/audit/verify",
         "/sync/children", "/sync/forks/resolve", "/nowhere", "/facts?after=-1",
         "/organizations?limit=100000",
         "/audit/diff?from=yesterday&to=now")  # fmt: skip


@pytest.fixture
def served(store: Store) -> Iterator[tuple[Node, dict[str, str]]]:
    node = Node(CODE, store)
    node.run("init", CODE)
    node.run("record", CODE, "OrganizationFiled", "--data", json.dumps(FILING))
    tokens = {
        role: node.run("token", "create", CODE, "--role", role).strip()
        for role in ("clerk", "auditor")
    }
    node.serve()
    yield node, tokens
    node.stop()


def state(node: Node, auditor: str) -> tuple[dict[str, Any], bool]:
    headers = {"Authorization": f"Bearer {auditor}"}
    head = httpx.get(f"{node.url}/head", headers=headers).json()
    verified = httpx.get(f"{node.url}/audit/verify", headers=headers).json()["ok"]
    return head, verified


def garbage(rng: random.Random, clerk: str) -> dict[str, Any]:
    """One bad request: every body has a defect, so none can be recorded."""
    kind = rng.randrange(8)
    body: bytes
    if kind == 0:
        body = rng.randbytes(rng.randrange(0, 2048))
    elif kind == 1:
        body = b"[" * rng.randrange(1, 5_000)  # past the JSON parser's depth limit
    elif kind == 2:
        body = json.dumps({"type": "OrganizationFiled", "data": FILING})[:-3].encode()
    elif kind == 3:
        body = b'{"type": "OrganizationFiled", "data": {"name": "\xff\xfe\xfa"}}'
    elif kind == 4:
        data: dict[str, Any] = {
            **FILING,
            "filing_number": f"备{rng.random()}",
            "colour": "红",
        }
        body = json.dumps({"type": "OrganizationFiled", "data": data}).encode()
    elif kind == 5:
        data = {"org": "备1", "program": "补助", "period": "2024",
                "amount": rng.choice(["-1", "1e3", "0.001", 3.5, None, [], "∞"]),
                "shares": {"street": "1"}}  # fmt: skip
        body = json.dumps({"type": "SubsidyDecided", "data": data}).encode()
    elif kind == 6:
        body = json.dumps({"type": rng.choice(["LedgerOpened", "Checkpoint", "", 7]),
                           "data": {}}).encode()  # fmt: skip
    else:
        nested: Any = "x"
        for _ in range(rng.randrange(1, 400)):
            nested = {"a": nested} if rng.random() < 0.5 else [nested]
        body = json.dumps({"type": "FactCorrected", "data": {"corrects_seq": 2,
                           "reason": "r", "replacement": nested}}).encode()  # fmt: skip
    headers = {"Content-Type": rng.choice(["application/json", "text/plain", "x/y"])}
    if rng.random() < 0.7:
        headers["Authorization"] = f"Bearer {clerk if rng.random() < 0.8 else 'tl_no'}"
    method = rng.choice(["POST", "POST", "GET", "PUT", "DELETE", "PATCH"])
    return {"method": method, "url": rng.choice(PATHS), "content": body,
            "headers": headers}  # fmt: skip


def test_abuse_changes_nothing_and_the_node_keeps_serving(
    served: tuple[Node, dict[str, str]],
) -> None:
    node, tokens = served
    before = state(node, tokens["auditor"])
    auth = {"Authorization": f"Bearer {tokens['clerk']}"}
    with httpx.Client(base_url=node.url, headers=auth, timeout=60) as http:
        oversize = http.post("/facts", content=b"{" + b" " * (9 * 2**20) + b"}")
        assert oversize.status_code == 413

        def chunks() -> Iterator[bytes]:
            for _ in range(10):
                yield b" " * 2**20

        chunked = http.post("/facts", content=chunks())
        assert chunked.status_code == 413
        assert chunked.headers["content-type"] == "application/problem+json"
    statuses: Counter[int] = Counter()

    local = threading.local()
    clients: list[httpx.Client] = []

    def send(seed: int) -> None:
        request = garbage(random.Random(seed), tokens["clerk"])
        if not hasattr(local, "client"):  # one keep-alive connection per client
            local.client = httpx.Client(base_url=node.url, timeout=60)
            clients.append(local.client)
        response = local.client.request(**request)
        statuses[response.status_code] += 1
        assert response.status_code < 500, (request["url"], response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json"
            assert "Traceback" not in response.text

    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(send, range(GARBAGE)))
    finally:
        for client in clients:
            client.close()
    assert sum(statuses.values()) == GARBAGE
    assert not [s for s in statuses if 200 <= s < 300 and s != 200]  # nothing created
    assert state(node, tokens["auditor"]) == before
    assert httpx.get(f"{node.url}/health").status_code == 200
    assert "ok: node" in node.run("verify", CODE)

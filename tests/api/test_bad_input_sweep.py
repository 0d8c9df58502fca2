"""Bad input on every route, on both stores: out-of-calendar instants, NUL and lone
surrogates, integers beyond 64 bits, negative seqs, oversize strings, deep nesting,
non-ASCII hashes, wrong types. Every answer is a short 4xx problem+json with its code,
and the next request on the same client is served."""

from __future__ import annotations

import copy
import json
import sqlite3
from typing import TYPE_CHECKING, Any, NamedTuple

import anyio
import httpx
import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors
from api.main import create_app
from domain.canonical import canonical_bytes, chain_hash
from domain.codes import NodeCode
from tests.api.test_sync_api import COMMUNITY, STREET, push_body, token
from tests.sync.network import DISTRICT, Network
from tests.sync.test_processes import Node

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from infrastructure.stores import Store

LOW, HIGH = "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"
"""Instants within the calendar as written, outside it once in UTC."""
BIG = "x" * (2 * 2**20)
"""A 2 MB string: no answer may echo it."""
LONG = "9" * 60_000
"""The longest a query or path can carry here (the client refuses URLs over 64 KiB)."""
SHORT = 1000
"""Bytes an error body may take: its own words and short excerpts of the input."""
CODE = "330211001001"
"""The node served over real HTTP."""
FILED = {"filing_number": "备1", "name": "城东“银龄”舞蹈队", "category": "文体活动",
         "effective_on": "2024-03-01"}  # fmt: skip
FILING = {"filing_number": "街备2024-001", "name": "城东“银龄”舞蹈队",
          "category": "文体活动", "community": COMMUNITY,
          "effective_on": "2024-03-01"}  # fmt: skip
ORG = f"/organizations/{STREET}:街备2024-001"
TIMELINE = f"/audit/timeline/{STREET}:街备2024-001"
READS = ("/organizations", ORG, "/rollup", "/reconciliation", TIMELINE)


def nested(levels: int) -> str:
    """JSON text of objects nested ``levels`` deep, an array innermost."""
    return '{"a":' * (levels - 1) + "[1]" + "}" * (levels - 1)


def rehashed(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documents with their hash chain recomputed, so an edit reaches the checks
    behind the hash check."""
    prev = facts[0]["prev_hash"]
    for fact in facts:
        fact["prev_hash"] = prev
        fields = [fact[k] for k in ("node", "seq", "type", "payload", "recorded_at")]
        try:
            canonical = canonical_bytes(*fields, actor=fact.get("actor"), check=False)
        except TypeError:  # beyond 64 bits, or not text: no canonical form
            break
        fact["hash"] = prev = chain_hash(prev, canonical)
    return facts


def edit(
    change: Callable[[dict[str, Any]], object], *, rehash: bool = True
) -> Callable[[Any], Any]:
    """An ingest body: a child's real push, changed, its chain rehashed (unless the
    change is to the hashes)."""

    def body(push: dict[str, Any]) -> dict[str, Any]:
        changed = copy.deepcopy(push)
        change(changed)
        if (
            rehash
            and isinstance(changed["facts"], list)
            and all(
                isinstance(f, dict) and f.keys() >= {"seq", "payload"}
                for f in changed["facts"]
            )
        ):
            rehashed(changed["facts"])
        return changed

    return body


def fact(n: int, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda body: body["facts"][n].__setitem__(key, value)


def checkpoint(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        signed = [f for f in body["facts"] if f["type"] == "Checkpoint"][-1]
        signed["payload"][key] = value

    return change


def case(role: str, method: str, url: str, body: Any = None, *expect: str) -> Any:
    return pytest.param(role, method, url, body, expect, id=f"{method} {url[:50]}")


def raw(text: str) -> bytes:
    """A JSON text sent as written (escapes such as \\ud800 kept)."""
    return text.encode()


SURROGATE_KEY = raw('{"type": "OrganizationFiled", "data": {"\\ud800": 1}}')
CASES = [
    # Instants outside the calendar in UTC, and others that are not instants.
    *(case("auditor", "GET", f"{path}?known_at={at}", None, "422", "invalid-date",
           "known_at")
      for path in READS for at in (LOW.replace("+", "%2B"), HIGH)),
    case("auditor", "GET", f"/audit/diff?from={LOW.replace('+', '%2B')}"
         "&to=2030-01-01T00:00:00Z", None, "422", "invalid-date", "from"),
    case("auditor", "GET", f"/audit/diff?from=2020-01-01T00:00:00Z&to={HIGH}", None,
         "422", "invalid-date", "to"),
    case("auditor", "GET", "/rollup?known_at=2024-01-01T00:00:00", None, "422"),
    case("auditor", "GET", "/rollup?known_at=yesterday", None, "422"),
    case("auditor", "GET", f"/rollup?known_at={LONG}", None, "422"),
    case("auditor", "GET", "/rollup?as_of=2024-02-30", None, "422", "invalid-date"),
    case("auditor", "GET", "/rollup?as_of=0000-01-01", None, "422"),
    case("auditor", "GET", f"/audit/diff?from={LONG}&to=2030-01-01T00:00:00Z", None,
         "422"),
    # NUL in any path or query parameter (PostgreSQL text refuses it).
    case("auditor", "GET", "/organizations/%00", None, "422", "invalid-input",
         "path.org"),
    case("auditor", "GET", "/audit/timeline/a%00b", None, "422", "invalid-input",
         "path.org"),
    *(case("auditor", "GET", f"/organizations?{name}=%00", None, "422",
           "invalid-input", f"query.{name}")
      for name in ("status", "legal_form", "grade", "area", "as_of", "known_at", "q",
                   "street", "community", "category", "period")),
    case("auditor", "GET", "/rollup?%00=1", None, "422", "invalid-input"),
    case("child", "GET", "/sync/cursor?source=%00", None, "422", "invalid-input",
         "query.source"),
    # Integers beyond 64 bits, negative, of the wrong type.
    case("auditor", "GET", f"/facts?after={2**64}", None, "422"),
    case("auditor", "GET", f"/facts?after={'9' * 5000}", None, "422"),
    case("auditor", "GET", "/facts?after=-1", None, "422"),
    case("auditor", "GET", "/facts?limit=1.5", None, "422"),
    case("auditor", "GET", "/organizations?offset=-1&limit=0", None, "422"),
    case("auditor", "GET", "/rollup?communities=maybe", None, "422"),
    case("auditor", "GET", "/rollup?allow_broken=2", None, "422"),
    case("parent", "GET", f"/feed?after={2**64}&limit=-5", None, "422"),
    case("child", "POST", "/ingest", edit(fact(0, "seq", 2**64)), "422",
         "malformed-fact", "seq"),
    case("child", "POST", "/ingest", edit(fact(-1, "seq", 2**64)), "422"),
    case("child", "POST", "/ingest", edit(fact(-1, "seq", -1)), "422"),
    case("child", "POST", "/ingest", edit(fact(-1, "seq", "2")), "422"),
    case("child", "POST", "/ingest", edit(lambda b: b.update(feed_position=2**64)),
         "422"),
    case("child", "POST", "/ingest", edit(lambda b: b.update(source_head=-1)), "422"),
    case("clerk", "POST", "/sync/forks/resolve",
         {"origin": COMMUNITY, "seq": 2**64, "note": "n"}, "422"),
    case("parent", "POST", "/sync/witness",
         {"parent": DISTRICT, "parent_key": "k", "child": STREET, "seq": -1,
          "hash": "0" * 64, "signature": "s", "at": HIGH}, "422"),
    case("clerk", "POST", "/facts",
         {"type": "SubsidyRevoked", "data": {"decision_seq": 2**64, "reason": "r"}},
         "422"),
    # Instants in year 1 and 9999 recorded in facts.
    *(case("child", "POST", "/ingest", edit(fact(n, "recorded_at", at)))
      for n in (1, -1)
      for at in ("0001-01-01T00:00:00.000000Z", "9999-12-31T23:59:59.999999Z")),
    # Hashes that are not lower-case ASCII hex.
    case("child", "POST", "/ingest", edit(checkpoint("signed_hash", "é" * 64))),
    case("child", "POST", "/ingest", edit(checkpoint("signed_hash", "٣" * 64))),
    case("child", "POST", "/ingest", edit(fact(-1, "hash", "é" * 64), rehash=False),
         "422"),
    case("child", "POST", "/ingest",
         edit(fact(-1, "prev_hash", "Ａ" * 64), rehash=False), "422"),
    case("parent", "POST", "/sync/witness",
         {"parent": DISTRICT, "parent_key": "k", "child": STREET, "seq": 1,
          "hash": "é" * 64, "signature": "s", "at": HIGH}, "422"),
    case("clerk", "POST", "/sync/children",
         {"child": "330211001002", "public_key": "é" * 44}, "422"),
    # Lone surrogates in JSON text.
    case("clerk", "POST", "/facts", raw('{"type": "\\ud800", "data": {}}'), "422"),
    case("clerk", "POST", "/facts", raw(json.dumps(
        {"type": "OrganizationFiled", "data": {**FILING, "name": "\\udfff"}}
    ).replace("\\\\", "\\")), "422"),
    case("clerk", "POST", "/facts", SURROGATE_KEY, "422"),
    case("child", "POST", "/ingest", edit(fact(-1, "node", "\ud800")), "422"),
    case("child", "POST", "/ingest",
         edit(lambda b: b["facts"][0]["payload"].update(node_name="\ud800")), "422"),
    case("clerk", "POST", "/sync/children",
         raw('{"child": "\\ud800", "public_key": "\\udc00"}'), "422"),
    # Other digits than 0-9 where a node code is wanted.
    case("child", "GET", "/sync/cursor?source=٣٣٠٢١١٠٠١٠٠١", None),
    case("clerk", "POST", "/sync/children",
         {"child": "٣٣٠٢١١٠٠١٠٠٢", "public_key": "A" * 44}),
    case("clerk", "POST", "/sync/forks/resolve",
         {"origin": "٣٣٠٢١١٠٠١٠٠١", "seq": 1, "note": "n"}),
    # Oversize strings: never echoed whole.
    case("clerk", "POST", "/facts", {"type": BIG, "data": {}}, "422"),
    case("clerk", "POST", "/facts/import", {"facts": [{"type": BIG}]}, "422"),
    case("clerk", "POST", "/facts", {"type": "OrganizationFiled", "data": {BIG: 1}},
         "422"),
    case("clerk", "POST", "/facts", {BIG: 1}, "422"),
    case("clerk", "POST", "/facts",
         {"type": "OrganizationFiled", "data": {**FILING, "name": BIG}}, "422"),
    case("clerk", "POST", "/facts",
         {"type": "FactCorrected", "data": {"corrects_seq": BIG, "reason": BIG,
                                            "replacement": BIG}}, "422"),
    case("child", "POST", "/ingest", edit(lambda b: b.update(source=BIG)), "422"),
    case("child", "POST", "/ingest", edit(lambda b: b["facts"][0].update({BIG: 1})),
         "422"),
    case("child", "POST", "/ingest", edit(fact(0, "type", BIG)), "422"),
    case("child", "POST", "/ingest", edit(lambda b: b.update(signed_head={BIG: 1})),
         "422"),
    case("auditor", "GET", f"/organizations/{LONG}", None, "422"),
    case("auditor", "GET", f"/audit/timeline/{LONG}", None, "422"),
    case("auditor", "GET", f"/organizations?status={LONG}", None, "422"),
    *(case("auditor", "GET", f"/organizations?{name}={LONG}", None, "422")
      for name in ("q", "street", "community", "category", "period")),
    case("child", "GET", f"/sync/cursor?source={LONG}", None, "422"),
    # Deep nesting: refused before anything recurses over it.
    *(case("clerk", "POST", "/facts", raw(
        '{"type": "FactCorrected", "data": {"corrects_seq": 2, "reason": "r", '
        f'"replacement": {nested(levels)}}}}}'), "422")
      for levels in (65, 300, 999, 5000, 100_000)),
    case("clerk", "POST", "/facts/import", raw(
        f'{{"facts": [{{"type": "PolicyAdopted", "data": {nested(300)}}}]}}'), "422",
         "invalid-input", "body"),
    case("child", "POST", "/ingest", raw(nested(300)), "422", "invalid-input", "body"),
    case("child", "POST", "/ingest", raw("[" * 100_000), "422", "invalid-input",
         "body"),
    case("child", "POST", "/ingest",
         lambda push: raw(json.dumps(push)[:-1] + f', "signed_head": {nested(300)}}}'),
         "422", "invalid-input", "body"),
    # Checking a fact, which records nothing, is checked as strictly.
    case("clerk", "POST", "/facts/check", {"type": BIG, "data": {}}, "422"),
    case("clerk", "POST", "/facts/check",
         {"type": "OrganizationFiled", "data": {**FILING, "name": BIG}}, "422"),
    case("clerk", "POST", "/facts/check",
         {"type": "OrganizationFiled", "data": {**FILING, "member_count": 2**64}},
         "422"),
    case("clerk", "POST", "/facts/check", SURROGATE_KEY, "422"),
    case("clerk", "POST", "/facts/check", raw(json.dumps(
        {"type": "OrganizationFiled", "data": {**FILING, "venue": "\\ud800"}}
    ).replace("\\\\", "\\")), "422"),
    case("clerk", "POST", "/facts/check", raw(
        f'{{"type": "PolicyAdopted", "data": {nested(300)}}}'), "422"),
    # Credentials and keys that are not.
    case("nobody", "POST", "/facts", raw(nested(300))),  # the body is read first
    case("bad token", "GET", "/organizations?known_at=" + HIGH, None, "401"),
    case("not bearer", "GET", "/head", None, "401"),
    case("clerk, long key", "POST", "/facts", {"type": "OrganizationFiled",
                                               "data": FILING}, "422"),
    case("clerk, spaced key", "POST", "/facts/import",
         {"facts": [{"type": "OrganizationFiled", "data": FILING}]}, "422"),
    # Wrong types and shapes.
    case("clerk", "POST", "/facts", [], "422"),
    case("clerk", "POST", "/facts", "OrganizationFiled", "422"),
    case("clerk", "POST", "/facts", {"type": "OrganizationFiled", "data": []}, "422"),
    case("clerk", "POST", "/facts", {"type": 7, "data": {}}, "422"),
    case("clerk", "POST", "/facts", {"type": "LedgerOpened", "data": {}}, "422"),
    case("clerk", "POST", "/facts", raw("{"), "422"),
    case("clerk", "POST", "/facts", b'{"type": "\xff\xfe"}'),
    case("clerk", "POST", "/facts/import", {"facts": {}, "partial": "yes"}, "422"),
    case("child", "POST", "/ingest", edit(lambda b: b.update(facts=[1, None, []])),
         "422"),
    case("child", "POST", "/ingest", edit(lambda b: b.update(signed_head=[])), "422"),
    case("child", "POST", "/ingest", edit(lambda b: b.update(feed_position=1.5)),
         "422"),
    case("child", "POST", "/ingest", edit(fact(0, "payload", None)), "422"),
    case("child", "POST", "/ingest", edit(fact(0, "payload", {})), "422"),
]  # fmt: skip
ROLES = {
    "clerk": ("clerk", None),
    "auditor": ("auditor", None),
    "parent": ("peer", DISTRICT),
    "child": ("peer", COMMUNITY),
}


class Served(NamedTuple):
    """A street's API, a token per role, and a push its child could make."""

    client: TestClient
    tokens: dict[str, dict[str, str]]
    push: dict[str, Any]


@pytest.fixture(scope="module")
def served(module_store: Store) -> Iterator[Served]:
    """Shared by the sweep: no bad request changes anything (each is checked)."""
    network = Network(module_store, [STREET, COMMUNITY])
    network.record(COMMUNITY, 3)
    network.nodes[STREET].ledger.record("OrganizationFiled", dict(FILING))
    tokens = {name: token(network, STREET, *issued) for name, issued in ROLES.items()}
    tokens |= {
        "nobody": {},
        "bad token": {"Authorization": "Bearer " + "x" * 10_000},
        "not bearer": {"Authorization": "Basic " + "x" * 100},
        "clerk, long key": tokens["clerk"] | {"Idempotency-Key": "k" * 201},
        "clerk, spaced key": tokens["clerk"] | {"Idempotency-Key": "a key"},
    }
    app = create_app(NodeCode(STREET), module_store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Served(client, tokens, push_body(network))
    network.close()


@pytest.mark.parametrize(("role", "method", "url", "body", "expect"), CASES)
def test_bad_input_is_a_short_problem_and_the_client_is_served_next(
    served: Served,
    role: str,
    method: str,
    url: str,
    body: Any,
    expect: tuple[str, ...],
) -> None:
    api, before = served.client, head(served)
    headers = dict(served.tokens[role])
    if callable(body):
        body = body(served.push)
    if body is not None:
        headers["content-type"] = "application/json"
        if not isinstance(body, bytes):  # escaped: lone surrogates travel as \udxxx
            body = json.dumps(body).encode()
    assert_short_problem(
        api.request(method, url, content=body, headers=headers), *expect
    )
    assert head(served) == before  # served next, and nothing was recorded


def head(served: Served) -> dict[str, Any]:
    """The street's head, and what it holds of its child."""
    auditor = served.tokens["auditor"]
    response = served.client.get("/head", headers=auditor)
    assert response.status_code == 200, response.text
    status = served.client.get("/sync/status", headers=auditor).json()
    return {"head": response.json(), "origins": status["origins"]}


def assert_short_problem(
    response: Any, status: str = "4xx", code: str = "", field: str = ""
) -> None:
    """A 4xx problem+json (of ``status``, ``code``, ``field`` when given), short."""
    assert 400 <= response.status_code < 500, response.text[:SHORT]
    if status != "4xx":
        assert response.status_code == int(status), response.text[:SHORT]
    assert response.headers["content-type"] == "application/problem+json"
    assert len(response.content) <= SHORT, response.text[:SHORT]
    problem = response.json()
    assert problem["status"] == response.status_code
    assert problem["type"].endswith(f"/{problem['code']}")
    if code:
        assert problem["code"] == code, problem
    if field:
        assert problem["field"] == field, problem


@pytest.mark.parametrize("path", ["/organizations/\ud800", "/audit/timeline/a\udfffb"])
def test_lone_surrogates_in_a_path_are_refused(served: Served, path: str) -> None:
    """No HTTP client sends them (servers decode paths and queries as UTF-8,
    replacing what does not decode), so the app is called as if one had."""
    messages: list[Any] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        messages.append(message)

    authorization = served.tokens["auditor"]["Authorization"].encode()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path, "root_path": "",
             "raw_path": path.encode("utf-8", "backslashreplace"),
             "query_string": b"", "headers": [(b"authorization", authorization)],
             "client": ("127.0.0.1", 1), "server": ("testserver", 80)}  # fmt: skip
    anyio.run(served.client.app, scope, receive, send)
    start, body = messages[0], b"".join(m.get("body", b"") for m in messages[1:])
    problem = json.loads(body)
    assert start["status"] == problem["status"] == 422, problem
    assert problem["field"] == "path.org"


def test_only_errors_values_raise_are_refused_as_input() -> None:
    """Where an edge check missed a value, what only a value raises (too deep, out of
    range, not encodable, refused by a store) is 422; any other error stays a 500."""
    app = FastAPI()
    errors.install(app)
    raised: list[Exception] = [
        RecursionError(), OverflowError(),
        UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
        psycopg.DataError(), sqlite3.DataError(), KeyError("bug"),
    ]  # fmt: skip

    @app.get("/raise/{n}")
    def fail(n: int) -> None:
        raise raised[n]

    with TestClient(app, raise_server_exceptions=False) as client:
        statuses = [client.get(f"/raise/{n}").status_code for n in range(len(raised))]
    assert statuses == [422, 422, 422, 422, 422, 500]


@pytest.fixture
def node(store: Store) -> Iterator[tuple[Node, dict[str, str]]]:
    served = Node(CODE, store)
    served.run("init", CODE)
    served.run("record", CODE, "OrganizationFiled", "--data", json.dumps(FILED))
    tokens = {
        role: served.run("token", "create", CODE, "--role", role).strip()
        for role in ("clerk", "auditor")
    }
    served.serve()
    yield served, tokens
    served.stop()


def test_a_served_node_answers_the_reported_cases_on_one_connection(
    node: tuple[Node, dict[str, str]],
) -> None:
    """Real HTTP: each bad request answered with a 4xx, the connection kept."""
    served, tokens = node
    clerk = {"Authorization": f"Bearer {tokens['clerk']}",
             "Content-Type": "application/json"}  # fmt: skip
    auditor = {"Authorization": f"Bearer {tokens['auditor']}"}
    requests: list[tuple[str, str, bytes | None, dict[str, str]]] = [
        ("GET", f"/rollup?known_at={LOW.replace('+', '%2B')}", None, auditor),
        ("GET", f"/audit/diff?from=2020-01-01T00:00:00Z&to={HIGH}", None, auditor),
        ("GET", "/organizations/%00", None, auditor),
        ("GET", "/organizations?status=%ED%A0%80%00", None, auditor),
        ("POST", "/facts", raw(nested(300)), clerk),
        ("POST", "/facts", raw("[" * 5000), clerk),
        ("POST", "/facts", json.dumps({"type": BIG, "data": {}}).encode(), clerk),
        ("POST", "/facts", SURROGATE_KEY, clerk),
        ("POST", "/facts", b'{"type": "\xff"}', clerk),
    ]
    one = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    with httpx.Client(base_url=served.url, limits=one, timeout=30) as client:
        ports = set()
        for method, url, body, headers in requests:
            response = client.request(method, url, content=body, headers=headers)
            assert_short_problem(response)
            assert response.headers.get("connection") != "close"
            again = client.get("/head", headers=auditor)
            assert again.status_code == 200
            for answer in (response, again):
                stream = answer.extensions["network_stream"]
                ports.add(stream.get_extra_info("client_addr")[1])
    assert len(ports) == 1  # one TCP connection served them all

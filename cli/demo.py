"""`tierledger demo`: a whole network over real HTTP on loopback.

镇海区 (330211), 招宝山街道 (330211001) and three of its communities each get a store,
a key pair and their own API server on a free loopback port. Clerks record the seed
year through ``POST /facts`` — filings at the communities, the street's policy, its
evaluations and subsidies — plus four planted mistakes; each parent pulls its children
over HTTP; the district's roll-up and reconciliation are read back through its API.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import uvicorn
from pydantic import BaseModel

from api.main import create_app
from api.schemas import HeadPublic
from cli.demo_serve import serve_until_stopped
from cli.i18n import LOCALE
from cli.output import console
from cli.view_output import rollup_rows, rows_table
from domain.codes import NodeCode, division_name
from domain.errors import NodeExistsError
from domain.messages import Text
from infrastructure.i18n import CHINESE
from infrastructure.keys import create_key
from infrastructure.stores import Store
from infrastructure.tokens import TokenStore
from projections.models.audit import Verification
from projections.models.reconciliation import ReconciliationReport
from projections.models.rollup import Rollup
from service.node import open_node
from sync import runner
from sync.client import PeerClient
from testdata import seed

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

Answer = TypeVar("Answer", bound=BaseModel)
MARKER = ".tierledger-demo"
NODES = (seed.DISTRICT, seed.STREET, *seed.COMMUNITIES)
ANOMALY_DAY = "2024-03-15"
TREE = ((seed.STREET, seed.COMMUNITIES), (seed.DISTRICT, (seed.STREET,)))
DEMO_ACTOR = "demo:tierledger"
"""Who opens the demo's ledgers and enrols its nodes; its clerks' facts name the
clerk token each posts them with."""


@dataclass
class Served:
    """One running node: its server, address and the tokens the demo uses."""

    code: str
    url: str
    server: uvicorn.Server
    thread: threading.Thread
    tokens: dict[str, str] = field(default_factory=dict)
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.url, timeout=60)

    def call(self, method: str, path: str, role: str, **kw: Any) -> Any:
        """One API call with this node's token of ``role``; the JSON answer."""
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        response = self.http.request(method, path, headers=headers, **kw)
        if response.status_code >= 400:
            raise RuntimeError(f"{self.code} {method} {path}: {response.text}")
        return response.json()

    def read(self, model: type[Answer], path: str, role: str, **kw: Any) -> Answer:
        """One GET with this node's token of ``role``; the answer as ``model``."""
        return model.model_validate(self.call("GET", path, role, **kw))


def run(home: Path, database_url: str | None, *, serve: bool = False) -> None:
    """Build, serve, fill, sync and reconcile the demo network under ``home``;
    with ``serve``, keep serving it (with demo accounts) until stopped."""
    store = Store(home, database_url)
    _fresh(store, home)
    for code in NODES:
        _init(store, code)
    _enroll(store)
    with serving(store) as nodes:
        _record_filings(nodes)
        _sync(store, nodes)
        _record_street_year(nodes)
        _plant_mistakes(nodes)
        _sync(store, nodes)
        _show(nodes[seed.DISTRICT], store)
        if serve:
            serve_until_stopped(store, nodes)


def _fresh(store: Store, home: Path) -> None:
    if home.exists() and not (home / MARKER).exists():
        raise NodeExistsError(
            Text(
                "{home} exists and is not a demo folder; choose another --home",
                home=home,
            )
        )
    shutil.rmtree(home, ignore_errors=True)
    for code in NODES:
        store.drop(NodeCode(code))
    home.mkdir(parents=True)
    (home / MARKER).write_text("made by `tierledger demo`; safe to delete\n", "utf-8")


def _init(store: Store, code: str) -> None:
    node = NodeCode(code)
    key = create_key(store.key_path(node))
    with open_node(store, node, create=True) as opened:
        opened.ledger.open(
            division_name(node) or code, key, "2021-01-04", actor=DEMO_ACTOR
        )


def _enroll(store: Store) -> None:
    for parent, children in TREE:
        with open_node(store, parent, shared=True) as node:
            for child in children:
                with open_node(store, child) as opened:
                    key = opened.ledger.journal().public_key
                assert key is not None
                node.sync.enroll(child, key, actor=DEMO_ACTOR)


@contextlib.contextmanager
def serving(store: Store) -> Iterator[dict[str, Served]]:
    """Every node's API on its own loopback port, for the length of the block."""
    nodes: dict[str, Served] = {}
    try:
        for code in NODES:
            nodes[code] = _start(store, code)
        yield nodes
    finally:
        for node in nodes.values():
            node.server.should_exit = True
            node.http.close()
        for node in nodes.values():
            node.thread.join(timeout=10)


def _start(store: Store, code: str) -> Served:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        create_app(NodeCode(code), store), host="127.0.0.1", port=port,
        log_level="warning",
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"node-{code}", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"the API of {code} did not start on port {port}")
        time.sleep(0.02)
    tokens = TokenStore(store.node_dir(NodeCode(code)) / "tokens.json")
    node = Served(code, f"http://127.0.0.1:{port}", server, thread)
    node.tokens = {role: tokens.create(role) for role in ("clerk", "auditor")}
    parent = NodeCode(code).parent
    if parent is not None:
        node.tokens["peer"] = tokens.create("peer", parent.value)
    return node


def _post(node: Served, fact_type: str, data: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = node.call(
        "POST", "/facts", "clerk", json={"type": fact_type, "data": data}
    )
    return answer


def _record_filings(nodes: dict[str, Served]) -> None:
    for community, items in seed.filings().items():
        for fact_type, data in items:
            _post(nodes[community], fact_type, data)
    _post(nodes[seed.STREET], "PolicyAdopted", seed.policy())
    console.print(
        f"POST /facts: {seed.FILED} filings at 3 communities, the street's policy"
    )


def _record_street_year(nodes: dict[str, Served]) -> None:
    for fact_type, data in seed.street_year():
        _post(nodes[seed.STREET], fact_type, data)
    console.print(
        "POST /facts: the street graded 103 (89 classed, 14 not passed), paid 89"
    )


def _plant_mistakes(nodes: dict[str, Served]) -> None:
    """The four mistakes reconciliation must find (R1–R4)."""
    c1, c2, c3 = seed.COMMUNITIES

    def pay(node: str, n: int, yuan: str, grade: str | None) -> None:
        fact_type, data = seed.subsidy(
            seed.org_ref(n), yuan, "2024", ANOMALY_DAY, grade
        )
        _post(nodes[node], fact_type, data)

    pay(c1, seed.first("不合格", c1), "1500", None)  # R2: not passed, paid anyway
    pay(seed.STREET, seed.first("三类"), "3500", "三类")  # R1: above 三类's band
    twice = seed.first("二类", c2)
    pay(seed.STREET, twice, "2500", "二类")  # R4: street and community both pay
    pay(c2, twice, "2500", "二类")
    pay(c3, seed.first("二类", c3), "3500", "一类")  # R3: cites 一类, graded 二类
    console.print("POST /facts: four planted mistakes for 2024 (R1, R2, R3, R4)")


def _sync(store: Store, nodes: dict[str, Served]) -> None:
    """Each parent pulls its children over HTTP (communities first)."""
    for parent, children in TREE:
        with open_node(store, parent, shared=True) as node:
            for child in children:
                peer = PeerClient(nodes[child].url, nodes[child].tokens["peer"])
                try:
                    pulled = runner.pull(node.sync, peer)
                finally:
                    peer.close()
                console.print(f"{parent} pulled {child} over HTTP: {pulled.summary()}")


def _show(district: Served, store: Store) -> None:
    point = {"as_of": "2024-06-30", "communities": True}
    rollup = district.read(Rollup, "/rollup", "auditor", params=point)
    console.print(
        rows_table(
            rollup_rows(rollup), "GET /rollup · 镇海区 per community, as of 2024-06-30"
        )
    )
    found = district.read(
        ReconciliationReport,
        "/reconciliation",
        "auditor",
        params={"as_of": "2024-12-31"},
    )
    rows = [
        {"rule": d.rule, "organization": d.org_name,
         "message": d.message_zh if LOCALE == CHINESE else d.message_en,
         "evidence": " ".join(f"{e.origin}#{e.seq}" for e in d.evidence)}
        for d in found.discrepancies
    ]  # fmt: skip
    console.print(rows_table(rows, "GET /reconciliation · 镇海区, as of 2024-12-31"))
    verify = district.read(Verification, "/audit/verify", "auditor")
    head = district.read(HeadPublic, "/head", "auditor")
    held = ", ".join(f"{o.origin}:{o.facts}" for o in verify.origins)
    console.print(f"GET /audit/verify: {'ok' if verify.ok else 'TAMPERED'} ({held})")
    console.print(f"GET /head: {head.node} seq {head.seq} {head.hash}")
    console.print(
        f"stores: {store.describe()} — try `tierledger --home {store.home} "
        f"reconcile {seed.DISTRICT} --as-of 2024-12-31`",
        markup=False,
    )

"""Seven nodes, seven processes, real HTTP on loopback: the tree converges."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from domain.codes import NodeCode
from infrastructure.keys import load_key, public_key_text
from testdata.generator import Generator
from tests.sync.network import COMMUNITIES, DISTRICT, STREETS, TREE

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from infrastructure.stores import Store


class Node:
    """One node operated through the `tierledger` command, as a station would."""

    def __init__(self, code: str, store: Store) -> None:
        self.code, self.store = code, store
        self.env = os.environ | {
            "TIERLEDGER_HOME": str(store.home),
            "TIERLEDGER_DATABASE_URL": store.database_url or "",
            "TIERLEDGER_NAMESPACE": store.namespace,
        }
        self.server: subprocess.Popen[bytes] | None = None
        self.url = ""

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"tierledger {' '.join(args)}: {done.stderr}"
        return done.stdout

    @property
    def public_key(self) -> str:
        return public_key_text(load_key(self.store.key_path(NodeCode(self.code))))

    def serve(self) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.server = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", self.code, "--port", str(port)],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError(f"{self.code} did not start serving")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def nodes(store: Store, tmp_path: Path) -> Iterator[dict[str, Node]]:
    tree = {code: Node(code, store) for code in TREE}
    for node in tree.values():
        node.run("init", node.code)
    for node in tree.values():
        parent = NodeCode(node.code).parent
        if parent is not None and parent.value in tree:
            tree[parent.value].run(
                "enroll", parent.value, node.code, "--key", node.public_key
            )
    for node in tree.values():
        record(node, tmp_path, 0)
        node.serve()
    yield tree
    for node in tree.values():
        node.stop()


def record(node: Node, folder: Path, round_: int) -> None:
    """Import a year of realistic facts at a node."""
    generator = Generator(NodeCode(node.code), seed=round_)
    communities = [NodeCode(c) for c in COMMUNITIES if c.startswith(node.code)]
    items = (
        list(generator.years(2021 + round_, 2021 + round_, 3, communities))
        if communities
        else []
    )
    path = folder / f"{node.code}-{round_}.jsonl"
    path.write_text(
        "".join(
            json.dumps({"type": t, "data": d}, ensure_ascii=False) + "\n"
            for t, d in items
        ),
        encoding="utf-8",
    )
    if items:
        node.run("import", node.code, str(path), "--partial")


def sync_round(tree: dict[str, Node], rng: random.Random, tmp_path: Path) -> None:
    """Every edge syncs once, by pull, push or bundle, in a random order."""
    edges = [(c, c[:9]) for c in COMMUNITIES] + [(s, DISTRICT) for s in STREETS]
    rng.shuffle(edges)
    for child, parent in edges:
        how = rng.choice(["pull", "push", "bundle"])
        if how == "pull":
            token = tree[child].run(
                "token", "create", child, "--role", "peer", "--for", parent
            )
            tree[parent].run(
                "sync", "pull", parent, tree[child].url, "--token", token.strip()
            )
        elif how == "push":
            token = tree[parent].run(
                "token", "create", parent, "--role", "peer", "--for", child
            )
            tree[child].run(
                "sync", "push", child, tree[parent].url, "--token", token.strip()
            )
        else:
            path = tmp_path / f"{child}-{rng.random()}.bundle"
            tree[child].run("sync", "export", child, str(path))
            tree[parent].run("sync", "import", parent, str(path))


def test_seven_processes_converge_over_http(
    nodes: dict[str, Node], store: Store, tmp_path: Path
) -> None:
    rng = random.Random(2024)
    for round_ in (1, 2):
        sync_round(nodes, rng, tmp_path)
        for code in COMMUNITIES:
            record(nodes[code], tmp_path, round_)
    sync_round(nodes, rng, tmp_path)  # communities' last facts reach the streets
    sync_round(nodes, rng, tmp_path)  # ... and the district
    for node in nodes.values():
        node.stop()
    district = store.open_ledger(NodeCode(DISTRICT))
    try:
        for community in COMMUNITIES:
            own = store.open_ledger(NodeCode(community))
            assert held(district, community) == held(own, community)
            own.close()
    finally:
        district.close()
    for code in TREE:
        out = nodes[code].run("verify", code)
        assert out.count("ok: node") == 1 + sum(
            1 for c in TREE if c != code and c.startswith(code)
        )


def held(ledger: object, origin: str) -> list[str]:
    from domain.application import Ledger
    from domain.identity import journal_id

    assert isinstance(ledger, Ledger)
    rows = ledger.recorder.select_events(journal_id(NodeCode(origin)), limit=10**6)
    return [ledger.decode(row).hash for row in rows]

"""Tokens: peer tokens scoped by direction, expiry, revocation, last use, many
processes issuing at once, and owner-only files."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from infrastructure.tokens import TokenStore, parse_expiry
from tests.api.test_sync_api import assert_problem, push_body
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from infrastructure.stores import Store

DISTRICT, STREET, COMMUNITY, SIBLING = (
    "330211",
    "330211001",
    "330211001001",
    "330211001002",
)


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [STREET, COMMUNITY, SIBLING])
    network.record(COMMUNITY, 3)
    yield network
    network.close()


@pytest.fixture
def api(net: Network) -> Iterator[TestClient]:
    with TestClient(create_app(NodeCode(STREET), net.store)) as client:
        yield client


def tokens(net: Network, node: str = STREET) -> TokenStore:
    return TokenStore(net.store.node_dir(NodeCode(node)) / "tokens.json")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_feed_goes_only_to_the_parent_and_pushes_come_only_from_children(
    net: Network, api: TestClient
) -> None:
    parent = bearer(tokens(net).create("peer", DISTRICT))
    child = bearer(tokens(net).create("peer", COMMUNITY))
    sibling = bearer(tokens(net).create("peer", SIBLING))
    # The parent reads the feed (personal data goes upward only) ...
    assert api.get("/feed", headers=parent).status_code == 200
    # ... a child, whoever it is, does not.
    for other in (child, sibling):
        assert_problem(api.get("/feed", headers=other), 403, "forbidden")
    # A child pushes its own facts and reads its own cursor; the parent cannot push.
    body = push_body(net)
    assert api.post("/ingest", json=body, headers=child).status_code == 200
    assert_problem(api.post("/ingest", json=body, headers=parent), 403, "forbidden")
    assert_problem(api.post("/ingest", json=body, headers=sibling), 403, "forbidden")
    cursor = {"source": COMMUNITY}
    assert api.get("/sync/cursor", params=cursor, headers=child).status_code == 200
    for other in (parent, sibling):
        answer = api.get("/sync/cursor", params=cursor, headers=other)
        assert_problem(answer, 403, "forbidden")


def test_a_peer_token_is_issued_only_to_the_parent_or_a_child(net: Network) -> None:
    out = run_cli(
        net, "token", "create", STREET, "--role", "peer", "--for", "330211002"
    )
    assert out.returncode != 0
    assert "parent or a direct child" in out.stderr


def test_an_expired_or_revoked_token_is_refused_even_by_a_running_server(
    net: Network, api: TestClient
) -> None:
    store = tokens(net)
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat(timespec="seconds")
    auditor = store.create("auditor", expires_at=soon)
    assert api.get("/head", headers=bearer(auditor)).status_code == 200
    (entry,) = [e for e in store.entries() if e.role == "auditor"]
    assert entry.last_used_at is not None
    # Expired: the file says so (as it will once the hour has passed).
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat(timespec="seconds")
    raw = json.loads(store.path.read_text("utf-8"))
    raw[-1]["expires_at"] = past
    store.path.write_text(json.dumps(raw), "utf-8")
    assert_problem(api.get("/head", headers=bearer(auditor)), 401, "unauthenticated")
    clerk = store.create("clerk")
    (clerk_entry,) = [e for e in store.entries() if e.role == "clerk"]
    out = run_cli(net, "token", "revoke", STREET, clerk_entry.id)
    assert out.returncode == 0, out.stderr
    assert_problem(api.get("/head", headers=bearer(clerk)), 401, "unauthenticated")


def test_token_list_shows_no_hash_and_marks_revoked(net: Network) -> None:
    store = tokens(net)
    store.create("auditor", expires_at=parse_expiry("30d"))
    store.revoke(store.entries()[0].id)
    out = run_cli(net, "token", "list", STREET, "--format", "json")
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert listed[0]["revoked_at"] is not None
    assert listed[0]["expires_at"] is not None
    assert all("sha256" not in e for e in listed)


def test_eight_processes_issuing_fifty_tokens_each_lose_none(
    net: Network, tmp_path: Path
) -> None:
    path = tokens(net).path
    script = (
        "import sys; from pathlib import Path; from infrastructure.tokens import "
        "TokenStore; s = TokenStore(Path(sys.argv[1])); "
        "print('\\n'.join(s.create('auditor') for _ in range(50)))"
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    printed = [line for w in workers for line in w.communicate()[0].split()]
    assert len(printed) == 400
    store = TokenStore(path)
    assert len(store.entries()) == 400
    assert all(store.authenticate(token) is not None for token in printed[::37])


def test_files_holding_facts_keys_and_tokens_are_owner_only(
    net: Network, api: TestClient, tmp_path: Path
) -> None:
    tokens(net).create("clerk")
    run_cli(net, "sync", "export", COMMUNITY, str(tmp_path / "c.bundle"))
    node_dir = net.store.node_dir(NodeCode(STREET))
    files = [node_dir / "tokens.json", node_dir / "node.key", tmp_path / "c.bundle"]
    if net.store.database_url is None:
        files += [node_dir / "ledger.sqlite", node_dir / "views.sqlite"]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(node_dir.stat().st_mode) == 0o700


def run_cli(net: Network, *args: str) -> subprocess.CompletedProcess[str]:
    """The `tierledger` command against the network's store."""
    env = {
        **os.environ,
        "TIERLEDGER_HOME": str(net.store.home),
        "TIERLEDGER_DATABASE_URL": net.store.database_url or "",
        "TIERLEDGER_NAMESPACE": net.store.namespace,
    }
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )

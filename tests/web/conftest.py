"""A community station's app with the web interface, and people to sign in."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from infrastructure import accounts as accounts_module
from infrastructure.settings import Settings
from testdata import seed
from tests.projections.seed_network import SeedNetwork
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx2

    from infrastructure.accounts import AccountStore
    from infrastructure.stores import Store

COMMUNITY = "330211001001"
PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its cheapest: these tests sign in often (the real parameters are
    tested in tests/infrastructure/test_accounts.py)."""
    cheap = PasswordHasher.from_parameters(CHEAPEST)
    monkeypatch.setattr(accounts_module, "default_hasher", lambda: cheap)


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [COMMUNITY])
    network.record(COMMUNITY, 3)
    yield network
    network.close()


@pytest.fixture
def settings() -> Settings:
    return Settings(lockout_failures=3, lockout_minutes=10)


@pytest.fixture
def web(net: Network, settings: Settings) -> Iterator[TestClient]:
    app = create_app(NodeCode(COMMUNITY), net.store, settings)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def accounts(net: Network) -> AccountStore:
    """The community's accounts, as the command line changes them."""
    found = net.opened[COMMUNITY].accounts
    found.add("王秀英", "clerk", PASSWORD)
    found.add("李建国", "auditor", PASSWORD)
    return found


def csrf_of(html: str) -> str:
    """The CSRF token a page's form carries."""
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(
    client: TestClient, name: str, password: str = PASSWORD, next_page: str = "/"
) -> httpx2.Response:
    """Open the sign-in page and send its form, as a browser does."""
    form = client.get("/web/login")
    return client.post(
        "/web/login",
        data={"name": name, "password": password, "csrf_token": csrf_of(form.text),
              "next": next_page},
        follow_redirects=False,
    )  # fmt: skip


@pytest.fixture
def street(store: Store, settings: Settings) -> Iterator[TestClient]:
    """The street's app over the seed year, paying one 三类 above its band."""
    net = SeedNetwork(store)
    net.build()
    org = seed.org_ref(seed.first("三类"))
    net.record(seed.STREET, *seed.subsidy(org, "3500", "2024", "2024-03-15", "三类"))
    net.close()
    app = create_app(NodeCode(seed.STREET), store, settings)
    with TestClient(app) as client:
        accounts = app.state.node.accounts
        accounts.add("王秀英", "clerk", PASSWORD)
        accounts.add("李建国", "auditor", PASSWORD)
        yield client

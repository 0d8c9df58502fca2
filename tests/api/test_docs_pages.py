"""/docs and /redoc need no network: every asset they load comes from the node."""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.routes.docs import STATIC
from domain.codes import NodeCode
from infrastructure.stores import Store

PAGES = ("/docs", "/redoc")


class References(HTMLParser):
    """Every URL a page's tags point at (src, href, spec-url), in order."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "spec-url") and value is not None:
                self.urls.append(value)


def references(html: str) -> list[str]:
    """The URLs of a page's tags, and those its inline script names in quotes."""
    parser = References()
    parser.feed(html)
    inline = re.findall(r"url: '([^']*)'", html)
    return parser.urls + inline


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    # No lifespan: the pages and assets need no store, and so no node opened.
    home = tmp_path_factory.mktemp("docs")
    return TestClient(create_app(NodeCode("330211001001"), Store(home)))


@pytest.mark.parametrize("page", PAGES)
def test_a_docs_page_names_no_other_origin(client: TestClient, page: str) -> None:
    answer = client.get(page)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "//" not in answer.text  # no http://, https:// nor //host/ reference
    urls = references(answer.text)
    assert urls
    assert all(url.startswith("/") or url == "data:," for url in urls), urls


@pytest.mark.parametrize("page", PAGES)
def test_every_asset_a_docs_page_loads_is_served_by_the_node(
    client: TestClient, page: str
) -> None:
    loaded = [u for u in references(client.get(page).text) if u.startswith("/static")]
    assert loaded
    for url in loaded:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.content == (STATIC / url.removeprefix("/static/")).read_bytes()
    assert client.get("/openapi.json").status_code == 200


def test_the_vendored_assets_are_the_recorded_versions() -> None:
    recorded: dict[str, str] = {}
    for line in (STATIC / "README.md").read_text(encoding="utf-8").splitlines():
        if re.fullmatch(r"[0-9a-f]{64}  \S+", line):
            digest, name = line.split()
            recorded[name] = digest
    held = {
        path.relative_to(STATIC).as_posix(): hashlib.sha256(path.read_bytes())
        for path in STATIC.glob("*/*")
    }
    assert {name: digest.hexdigest() for name, digest in held.items()} == recorded


def test_the_swagger_page_asks_no_validator_service(client: TestClient) -> None:
    assert '"validatorUrl": null' in client.get("/docs").text


def test_static_files_stay_in_their_folder(client: TestClient) -> None:
    for path in ("/static/../main.py", "/static/%2e%2e/main.py", "/static/nothing"):
        assert client.get(path).status_code == 404


def test_the_docs_pages_stay_out_of_the_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert not {"/docs", "/redoc"} & set(paths)
    assert not [p for p in paths if p.startswith("/static")]


def test_the_assets_are_package_data() -> None:
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text("utf-8")
    assert 'api = ["static/*/*"]' in pyproject

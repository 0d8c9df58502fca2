"""Every page: the security headers, no inline script or style, assets only from
this node, CSRF on every form, Chinese by default; the home page and the sections."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

from web.layout import ONLY_FOR, SECTIONS
from web.security import CSP

if TYPE_CHECKING:
    from collections.abc import Mapping

    from fastapi.testclient import TestClient

    from infrastructure.accounts import AccountStore

from tests.web.conftest import sign_in


def person_for(path: str) -> str:
    """Someone allowed to open the page: the auditor where only auditors may."""
    slug = path.removeprefix("/web/")
    return "李建国" if ONLY_FOR.get(slug) == "auditor" else "王秀英"


PAGES = ["/", *(f"/web/{slug}" for slug, _ in SECTIONS)]
REQUIRED_CSP = (
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
)


class Elements(HTMLParser):
    """Every element's tag and attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


def assert_secured(headers: Mapping[str, str]) -> None:
    csp = headers["content-security-policy"]
    assert all(directive in csp for directive in REQUIRED_CSP)
    assert "unsafe" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"]


def test_the_policy_is_strict() -> None:
    assert all(directive in CSP for directive in REQUIRED_CSP)
    assert "style-src 'self'" in CSP


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_headers_and_no_inline_script_or_style(
    web: TestClient, accounts: AccountStore, path: str
) -> None:
    sign_in(web, person_for(path))
    answer = web.get(path)
    assert answer.status_code == 200
    assert_secured(answer.headers)
    assert answer.headers["cache-control"] == "no-store"
    for tag, attrs in elements(answer.text):
        assert "style" not in attrs, tag
        assert not [a for a in attrs if a.startswith("on")], tag
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/web/static/"), attrs
        if tag == "link":
            assert (attrs.get("href") or "").startswith("/web/static/"), attrs
    assert "<style" not in answer.text


@pytest.mark.parametrize("path", PAGES)
def test_every_post_form_of_a_page_carries_the_sessions_csrf_token(
    web: TestClient, accounts: AccountStore, path: str
) -> None:
    sign_in(web, person_for(path))
    found = elements(web.get(path).text)
    forms = [
        i
        for i, (tag, attrs) in enumerate(found)
        if tag == "form" and attrs.get("method") == "post"
    ]
    assert forms  # every page has one at least: signing out
    for start in forms:
        inputs = [attrs for tag, attrs in found[start:] if tag == "input"]
        assert inputs[0]["name"] == "csrf_token"
        assert len(inputs[0]["value"] or "") >= 32


@pytest.mark.parametrize("path", ["/web/login", "/web/nowhere", "/web/static/site.css"])
def test_the_sign_in_page_error_pages_and_assets_carry_the_headers(
    web: TestClient, path: str
) -> None:
    assert_secured(web.get(path).headers)


def test_the_api_keeps_its_own_headers(web: TestClient) -> None:
    # Swagger UI at /docs runs an inline script: the web's policy is not the API's.
    assert "content-security-policy" not in web.get("/health").headers


def test_pages_are_chinese_by_default_and_english_when_preferred(
    web: TestClient,
) -> None:
    chinese = web.get("/web/login")
    assert '<html lang="zh-CN">' in chinese.text
    assert "<title>登录 – 社会组织台账</title>" in chinese.text
    assert chinese.headers["content-language"] == "zh-CN"
    english = web.get("/web/login", headers={"Accept-Language": "en"})
    assert "<title>Sign in – Social organization ledger</title>" in english.text
    assert english.headers["content-language"] == "en"


def test_an_unknown_page_is_a_page_not_a_problem(web: TestClient) -> None:
    answer = web.get("/web/nowhere")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "页面不存在" in answer.text


def test_the_api_still_answers_problems(web: TestClient) -> None:
    answer = web.get("/nowhere")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"


def test_the_home_page_names_the_node_the_person_and_counts_organizations(
    web: TestClient, accounts: AccountStore
) -> None:
    sign_in(web, "李建国")
    page = web.get("/").text
    assert "<dd>社区社会组织服务站</dd>" in page
    assert "<dd>李建国（审计员）</dd>" in page
    rows = re.findall(r'<tr><td>(.+?)</td><td class="numeric">(\d+)</td></tr>', page)
    assert rows
    chart = json.loads(re.search(r"data-chart='([^']+)'", page).group(1))  # type: ignore[union-attr]
    # Check: the chart draws exactly what the table says (the table is the page's
    # own, for readers without scripts).
    assert chart["labels"] == [label for label, _ in rows]
    assert chart["values"] == [int(count) for _, count in rows]

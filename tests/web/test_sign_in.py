"""Signing in and out of the web interface: errors beside fields, sessions kept on
the server (ended by signing out, a password change, disabling, idleness), CSRF."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from infrastructure import sessions as sessions_module
from infrastructure.settings import Settings
from tests.web.conftest import COMMUNITY, PASSWORD, csrf_of, sign_in
from web.layout import SECTIONS

if TYPE_CHECKING:
    from infrastructure.accounts import AccountStore
    from tests.sync.network import Network


@pytest.mark.parametrize("path", ["/", *(f"/web/{slug}" for slug, _ in SECTIONS)])
def test_a_page_sends_a_stranger_to_sign_in_and_back(
    web: TestClient, path: str
) -> None:
    answer = web.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/web/login?next=" + path.replace("/", "%2F")


def test_a_wrong_password_is_named_beside_its_field_in_chinese(
    web: TestClient, accounts: AccountStore
) -> None:
    answer = sign_in(web, "王秀英", "not the password")
    assert answer.status_code == 422
    page = answer.text
    # Check: the error beside the password field, and in the summary linking to it.
    assert (
        '<p class="error-message" id="password-error"><span class="visually-hidden">'
        "错误：</span> 账号名称或密码不正确</p>"
    ) in page
    assert '<a href="#password">账号名称或密码不正确</a>' in page
    assert 'aria-describedby="password-error" aria-invalid="true"' in page
    assert 'value="王秀英"' in page  # the name is kept; the password is not
    assert "not the password" not in page
    assert "tl_session" not in web.cookies


def test_missing_fields_are_each_named(web: TestClient, accounts: AccountStore) -> None:
    answer = sign_in(web, " ", "")
    assert answer.status_code == 422
    assert '<a href="#name">请输入账号名称</a>' in answer.text
    assert '<a href="#password">请输入密码</a>' in answer.text


def test_the_sign_in_page_is_english_when_the_browser_prefers_it(
    web: TestClient, accounts: AccountStore
) -> None:
    web.headers["Accept-Language"] = "en-GB,en;q=0.9,zh;q=0.5"
    answer = sign_in(web, "王秀英", "not the password")
    assert "the account name or the password is not right" in answer.text
    assert answer.headers["content-language"] == "en"


def test_signing_in_opens_a_session_carried_in_a_strict_cookie(
    web: TestClient, accounts: AccountStore
) -> None:
    answer = sign_in(web, "王秀英")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("tl_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/;" in cookie
    assert "Secure" not in cookie
    home = web.get("/")
    assert home.status_code == 200
    assert "当前用户：王秀英（经办人）" in home.text
    assert "<h1>城东社区 330211001001</h1>" in home.text


def test_the_cookie_is_secure_when_the_node_is_served_over_https(
    net: Network, accounts: AccountStore
) -> None:
    settings = Settings(secure_cookies=True)
    app = create_app(NodeCode(COMMUNITY), net.store, settings)
    with TestClient(app, base_url="https://testserver") as client:
        answer = sign_in(client, "王秀英")
    cookies = answer.headers.get_list("set-cookie")
    assert all("Secure" in c for c in cookies if c.startswith("tl_session="))


@pytest.mark.parametrize(
    ("asked", "sent_to"),
    [
        ("/web/audit", "/web/audit"),
        ("/web/registry?q=银龄", "/web/registry?q=银龄"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),
    ],
)
def test_signing_in_goes_back_to_the_page_asked_for_never_off_site(
    web: TestClient, accounts: AccountStore, asked: str, sent_to: str
) -> None:
    answer = sign_in(web, "王秀英", next_page=asked)
    assert answer.status_code == 303
    assert answer.headers["location"] == sent_to.replace("银龄", "%E9%93%B6%E9%BE%84")


def test_a_sign_in_form_without_its_csrf_token_is_refused(
    web: TestClient, accounts: AccountStore
) -> None:
    answer = web.post(
        "/web/login",
        data={"name": "王秀英", "password": PASSWORD, "csrf_token": "forged"},
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "表单已过期，请重新登录。" in answer.text
    assert "tl_session" not in web.cookies


def test_signing_out_ends_the_session_on_the_server(
    web: TestClient, accounts: AccountStore, net: Network
) -> None:
    sign_in(web, "王秀英")
    session_id = web.cookies["tl_session"]
    home = web.get("/")
    answer = web.post(
        "/web/logout", data={"csrf_token": csrf_of(home.text)}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/web/login?signed_out=1"
    assert "您已退出登录。" in web.get(answer.headers["location"]).text
    # Check: the old cookie, sent again, opens nothing.
    assert net.opened[COMMUNITY].sessions.count("王秀英") == 0
    web.cookies.set("tl_session", session_id)
    assert web.get("/", follow_redirects=False).status_code == 303


def test_signing_out_without_the_csrf_token_is_refused_in_chinese(
    web: TestClient, accounts: AccountStore
) -> None:
    sign_in(web, "王秀英")
    answer = web.post("/web/logout", data={}, follow_redirects=False)
    assert answer.status_code == 403
    assert "表单不是从本节点页面提交的，或已过期" in answer.text
    assert web.get("/", follow_redirects=False).status_code == 200  # still signed in


@pytest.mark.parametrize("change", ["password", "disable"])
def test_a_password_change_or_disabling_ends_sessions_at_once(
    web: TestClient, accounts: AccountStore, change: str
) -> None:
    sign_in(web, "王秀英")
    assert web.get("/", follow_redirects=False).status_code == 200
    if change == "password":
        accounts.set_password("王秀英", "a brand new password")
    else:
        accounts.disable("王秀英")
    assert web.get("/", follow_redirects=False).status_code == 303


def test_repeated_wrong_passwords_lock_the_account(
    web: TestClient, accounts: AccountStore
) -> None:
    for _ in range(3):
        assert sign_in(web, "王秀英", "not the password").status_code == 422
    answer = sign_in(web, "王秀英")
    assert answer.status_code == 422
    assert "密码错误次数过多，账号已被锁定，请 10 分钟后再试" in answer.text
    assert sign_in(web, "李建国").status_code == 303  # others are not locked


def test_a_session_unused_past_the_idle_time_ends(
    web: TestClient, accounts: AccountStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(web, "王秀英")
    now = sessions_module.now()
    monkeypatch.setattr(sessions_module, "now", lambda: now + 29 * 60)
    assert web.get("/", follow_redirects=False).status_code == 200
    monkeypatch.setattr(sessions_module, "now", lambda: now + 60 * 60)
    assert web.get("/", follow_redirects=False).status_code == 303


def test_signing_in_never_logs_a_password_a_session_id_or_a_csrf_token(
    web: TestClient, accounts: AccountStore, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sign_in(web, "王秀英", "not the password")
    sign_in(web, "王秀英")
    home = web.get("/")
    secrets = [PASSWORD, web.cookies["tl_session"], csrf_of(home.text)]
    web.post("/web/logout", data={"csrf_token": secrets[-1]})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not [s for s in secrets if s in logged]

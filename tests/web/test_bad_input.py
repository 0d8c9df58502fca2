"""No input to the web's forms gets a 500: odd, huge, malformed or hostile values get
the form again or a page saying what went wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import csrf_of, sign_in

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from infrastructure.accounts import AccountStore

ODD = [
    "\x00",
    "王秀英\x00",
    "x" * 100_000,
    "\u202e英秀王",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("value", ODD)
def test_odd_names_and_passwords_get_the_form_again(
    web: TestClient, accounts: AccountStore, value: str
) -> None:
    for name, password in ((value, "correct horse battery"), ("王秀英", value)):
        answer = sign_in(web, name, password)
        assert answer.status_code in (400, 422), answer.text[:200]
        assert "<script>alert" not in answer.text


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data; boundary=x", b"--x\r\nbroken"),
        ("application/x-www-form-urlencoded", b"name=%FF%FE&password=%ED%A0%80"),
        ("application/json", '{"name": "王秀英"}'.encode()),
        ("text/plain", b"\x00\x01\x02"),
    ],
)
def test_malformed_sign_in_bodies_are_refused_as_pages(
    web: TestClient, content_type: str, body: bytes
) -> None:
    web.get("/web/login")
    answer = web.post(
        "/web/login", content=body, headers={"Content-Type": content_type},
        follow_redirects=False,
    )  # fmt: skip
    assert 400 <= answer.status_code < 500
    assert answer.headers["content-type"].startswith("text/html")


def test_a_file_where_a_field_belongs_is_refused(web: TestClient) -> None:
    token = csrf_of(web.get("/web/login").text)
    answer = web.post(
        "/web/login",
        data={"csrf_token": token},
        files={"name": ("name.txt", b"\xff" * 100)},
        follow_redirects=False,
    )
    assert 400 <= answer.status_code < 500


def test_a_malformed_logout_is_refused(web: TestClient, accounts: AccountStore) -> None:
    sign_in(web, "王秀英")
    answer = web.post(
        "/web/logout",
        content=b"--x\r\nbroken",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
        follow_redirects=False,
    )
    assert 400 <= answer.status_code < 500


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=60))
def test_any_next_page_is_answered_without_an_error(
    web: TestClient, query: str
) -> None:
    answer = web.get("/web/login", params={"next": query})
    assert answer.status_code in (200, 400, 422), answer.status_code  # 400: NUL

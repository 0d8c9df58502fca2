"""One principal for the API and the web: a session reaches the API's role rules,
and its unsafe requests must carry the session's CSRF token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.web.conftest import csrf_of, sign_in

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from infrastructure.accounts import AccountStore


def test_a_signed_in_person_reads_the_api_with_the_session(
    web: TestClient, accounts: AccountStore
) -> None:
    sign_in(web, "李建国")
    assert web.get("/head").status_code == 200
    assert web.get("/audit/verify").status_code == 200


def test_an_unsafe_api_request_of_a_session_needs_its_csrf_token(
    web: TestClient, accounts: AccountStore
) -> None:
    sign_in(web, "王秀英")
    refused = web.post("/sync/checkpoint", headers={"Accept-Language": "zh-CN"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert refused.json()["detail"].startswith("表单不是从本节点页面提交的")
    token = csrf_of(web.get("/").text)
    done = web.post("/sync/checkpoint", headers={"X-CSRF-Token": token})
    assert done.status_code == 201, done.text


def test_the_apis_role_rules_apply_to_people_too(
    web: TestClient, accounts: AccountStore
) -> None:
    sign_in(web, "李建国")  # an auditor
    token = csrf_of(web.get("/").text)
    refused = web.post(
        "/sync/checkpoint",
        headers={"X-CSRF-Token": token, "Accept-Language": "zh-CN"},
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "auditor 账号无权执行此操作（仅限 clerk）"


def test_an_ended_session_is_told_to_sign_in_again(
    web: TestClient, accounts: AccountStore
) -> None:
    sign_in(web, "王秀英")
    accounts.disable("王秀英")
    answer = web.get("/head", headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 401
    assert answer.json()["detail"] == "登录已失效，请重新登录"

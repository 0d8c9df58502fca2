"""Issue 19, "Chinese first" over HTTP: a problem's detail is Chinese when the request
accepts Chinese, English otherwise, always with the same stable code, and the
response states its language."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from domain.uscc import check_character
from tests.api.test_sync_api import assert_problem, push_body, token
from tests.factories import filing
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from infrastructure.stores import Store

STREET, COMMUNITY = "330211001", "330211001001"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
FILED = {"type": "OrganizationFiled", "data": filing("街备1", community=COMMUNITY)}
AGAIN = filing("街备1", "另一支舞蹈队", community=COMMUNITY)
"""Another organization under a filing number held already."""


def fact(fact_type: str, **data: Any) -> dict[str, Any]:
    """A ``POST /facts`` body."""
    return {"type": fact_type, "data": data}


class Street:
    """A street's API with a clerk and an auditor, its community enrolled."""

    def __init__(self, net: Network, api: TestClient) -> None:
        self.net, self.api = net, api
        self.clerk = token(net, STREET, "clerk")
        self.auditor = token(net, STREET, "auditor")
        self.child = token(net, STREET, "peer", COMMUNITY)
        assert api.post("/facts", json=FILED, headers=self.clerk).status_code == 201

    def forged_push(self) -> dict[str, Any]:
        """The community's feed with one filing's name changed after it was hashed."""
        body = push_body(self.net)
        forged = copy.deepcopy(body)
        filed = next(d for d in forged["facts"] if d["type"] == "OrganizationFiled")
        filed["payload"]["name"] += "（改）"
        return forged


Request = tuple[str, str, "Callable[[Street], dict[str, Any]]"]
"""Method, path, and the keyword arguments of the request (headers, body)."""

CASES: dict[str, tuple[Request, int, str, str, str]] = {
    "invalid USCC": (
        ("POST", "/facts", lambda s: {"headers": s.clerk, "json": fact(
            "OrganizationRegistered", uscc="51100000500002862A", name="镇海区书画协会",
            legal_form="social_group")}),
        422, "invalid-uscc",
        "USCC '51100000500002862A': check character should be F, not A",
        "统一社会信用代码 '51100000500002862A'：校验码应为 F，而不是 A",
    ),
    "unknown organization": (
        ("GET", "/organizations/街备404", lambda s: {"headers": s.auditor}),
        404, "unknown-organization",
        "organization '街备404' is unknown at this node",
        "本节点没有社会组织 '街备404'",
    ),
    "duplicate filing": (
        ("POST", "/facts", lambda s: {"headers": s.clerk,
                                      "json": fact("OrganizationFiled", **AGAIN)}),
        409, "duplicate-filing-number",
        f"filing number 街备1 is already used at node {STREET} by 城东舞蹈队",
        f"备案编号 街备1 在节点 {STREET} 已被 城东舞蹈队 使用",
    ),
    "bad date": (
        ("POST", "/facts", lambda s: {"headers": s.clerk, "json": fact(
            "OrganizationFiled", **filing("街备2", effective_on="2024-02-30"))}),
        422, "invalid-date",
        "effective_on '2024-02-30' is not a real date",
        "effective_on '2024-02-30' 不是真实存在的日期",
    ),
    "negative money": (
        ("POST", "/facts", lambda s: {"headers": s.clerk, "json": fact(
            "SubsidyDecided", org="街备1", program="日常活动补助", period="2024",
            amount="-3500", shares={"street": "3500"})}),
        422, "invalid-amount",
        "amount '-3500' is negative",
        "amount '-3500' 为负数",
    ),
    "forged sync batch": (
        ("POST", "/ingest", lambda s: {"headers": s.child, "json": s.forged_push()}),
        409, "altered-fact",
        f"{COMMUNITY}/2: hash does not match the content; altered in transit",
        f"{COMMUNITY}/2：哈希与内容不符；在传输途中或发送方处被篡改",
    ),
}  # fmt: skip


@pytest.fixture
def street(store: Store) -> Iterator[Street]:
    net = Network(store, [STREET, COMMUNITY])
    net.nodes[COMMUNITY].ledger.record("OrganizationFiled", filing("备1"))
    with TestClient(create_app(NodeCode(STREET), store)) as api:
        yield Street(net, api)
    net.close()


def ask(street: Street, request: Request, headers: dict[str, str]) -> Any:
    method, path, arguments = request
    given = arguments(street)
    given["headers"] = {**given["headers"], **headers}
    return street.api.request(method, path, **given)


def test_each_error_speaks_the_language_the_request_accepts(street: Street) -> None:
    for case, (request, status, code, english, chinese) in CASES.items():
        in_english = assert_problem(ask(street, request, {}), status, code)
        answered = ask(street, request, ZH)
        in_chinese = assert_problem(answered, status, code)
        assert in_english["detail"].startswith(english), case
        assert in_chinese["detail"].startswith(chinese), case
        assert answered.headers["Content-Language"] == "zh-CN", case
        assert in_chinese["title"] == in_english["title"], case


def test_a_problem_states_its_language(street: Street) -> None:
    refused = street.api.get("/head")
    assert_problem(refused, 401, "unauthenticated")
    assert refused.headers["Content-Language"] == "en"
    assert refused.json()["detail"] == "a bearer token is required"
    refused = street.api.get("/head", headers={"Accept-Language": "zh"})
    assert refused.headers["Content-Language"] == "zh-CN"
    assert refused.json()["detail"] == "需要提供 Bearer 令牌"
    # English ranked above Chinese: English.
    refused = street.api.get("/head", headers={"Accept-Language": "en,zh;q=0.5"})
    assert refused.headers["Content-Language"] == "en"


def test_the_wrapper_around_a_validation_message_is_translated(
    street: Street,
) -> None:
    broken = {**street.clerk, **ZH, "Content-Type": "application/json"}
    refused = street.api.post("/facts", content=b'{"type": ', headers=broken)
    problem = assert_problem(refused, 422, "invalid-input")
    assert problem["detail"].startswith("body：不是有效的 JSON：Expecting value")
    assert problem["field"] == "body"
    too_deep = b'{"type": "OrganizationFiled", "data": ' + b"[" * 70 + b"]" * 70 + b"}"
    refused = street.api.post("/facts", content=too_deep, headers=broken)
    problem = assert_problem(refused, 422, "invalid-input")
    assert "嵌套超过 64 层" in problem["detail"]
    refused = street.api.get("/head", params={"q": "\x00"}, headers=street.auditor | ZH)
    problem = assert_problem(refused, 422, "invalid-input")
    assert problem["detail"] == "query.q：NUL 字符和孤立代理项不是有效文本"


def test_a_receipts_warning_is_in_the_readers_language(street: Street) -> None:
    first17 = "51330211MJ1234560"  # its position 17 fails the organization code
    registered = fact(
        "OrganizationRegistered",
        uscc=first17 + check_character(first17),
        name="镇海区书画协会",
        legal_form="social_group",
        effective_on="2024-05-01",
    )
    made = street.api.post("/facts", json=registered, headers=street.clerk | ZH)
    assert made.status_code == 201, made.text
    (warning,) = made.json()["warnings"]
    assert warning.startswith("统一社会信用代码 ")
    assert "组织机构代码校验位（第 17 位）" in warning
    again = street.api.post("/facts", json=registered, headers=street.clerk)
    assert again.status_code == 200, again.text
    assert "organization-code check (position 17)" in again.json()["warnings"][0]

"""A read page's standpoint from its address: kept in links, each bad field named."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from starlette.requests import Request

from tests.web.conftest import COMMUNITY
from web.standpoint import Standpoint, standpoint

if TYPE_CHECKING:
    from service.node import Node
    from tests.sync.network import Network


@pytest.fixture
def web_node(net: Network) -> Node:
    """The community station's node, as its web pages open it."""
    return net.opened[COMMUNITY]


def request(query: str, language: str = "zh-CN") -> Request:
    """A GET request for a page with ``query``."""
    headers = [(b"accept-language", language.encode())]
    scope = {"type": "http", "method": "GET", "path": "/web/registry",
             "query_string": query.encode(), "headers": headers}  # fmt: skip
    return Request(scope)


def test_no_standpoint_asked_stands_today_as_known_now(web_node: Node) -> None:
    asked = standpoint(request(""), web_node)
    assert asked.point is not None
    assert not asked.errors
    assert not asked.asked


def test_a_date_and_an_instant_are_kept_in_links(web_node: Node) -> None:
    query = "as_of=2024-06-30&known_at=2025-01-01T00:00:00Z"
    asked = standpoint(request(query), web_node)
    assert asked.point is not None
    assert asked.point.as_of == "2024-06-30"
    assert asked.query(page=2, q="") == (
        "as_of=2024-06-30&known_at=2025-01-01T00%3A00%3A00Z&page=2"
    )


def test_a_bad_date_is_an_error_beside_its_field_in_chinese(web_node: Node) -> None:
    asked = standpoint(request("as_of=2024-13-01"), web_node)
    assert asked.point is None
    assert list(asked.errors) == ["as_of"]
    assert "ISO" in asked.errors["as_of"]
    assert "日期" in asked.errors["as_of"]


def test_a_bad_instant_is_an_error_beside_its_own_field(web_node: Node) -> None:
    asked = standpoint(request("known_at=yesterday", "en"), web_node)
    assert list(asked.errors) == ["known_at"]
    assert "not an ISO instant" in asked.errors["known_at"]


def test_an_overlong_value_is_cut_before_it_is_read(web_node: Node) -> None:
    asked = standpoint(request("as_of=" + "9" * 10_000), web_node)
    assert len(asked.as_of) == 40
    assert "as_of" in asked.errors


def test_a_standpoint_not_asked_keeps_nothing() -> None:
    assert Standpoint().query() == ""
    assert Standpoint().query(page=None) == ""

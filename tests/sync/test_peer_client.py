"""The HTTP peer client asks the other node for refusals in this side's language."""

from __future__ import annotations

import httpx
import pytest

from infrastructure.i18n import CHINESE, translator
from sync.client import PeerClient, PeerError


def test_a_refusal_comes_back_in_the_language_asked_for() -> None:
    asked: list[str | None] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        asked.append(request.headers.get("accept-language"))
        detail = "需要提供 Bearer 令牌" if asked[-1] == "zh-CN" else "a bearer token"
        return httpx.Response(401, json={"code": "unauthenticated", "detail": detail})

    client = PeerClient(
        "http://street", "tl_x", transport=httpx.MockTransport(refuse), language="zh-CN"
    )
    with pytest.raises(PeerError) as refused:
        client.head()
    client.close()
    assert asked == ["zh-CN"]
    assert refused.value.code == "unauthenticated"
    assert (
        refused.value.message == "http://street/head answered 401: 需要提供 Bearer 令牌"
    )
    in_chinese = refused.value.render(translator(CHINESE))
    assert in_chinese == "http://street/head 返回 401：需要提供 Bearer 令牌"

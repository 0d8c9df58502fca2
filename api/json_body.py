"""JSON request bodies read with a nesting limit, so no body reaches a recursion."""

from __future__ import annotations

import json
from array import array
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.routing import APIRoute

from domain.messages import Text

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from fastapi import Response

MAX_DEPTH = 64
"""Objects and arrays nested in a body. The deepest a valid one needs is about 20 (an
ingested fork report quoting documents four deep); Python's own limit is 1 000."""
TOO_DEEP = Text("nested deeper than {depth} levels", depth=MAX_DEPTH)
"""Why a body too deeply nested is not JSON (the decoder's reason: told in English,
translated where the problem is written)."""
_MARKS = bytes(set(range(256)) - set(b'"[{]}'))
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def depth(body: bytes) -> int:
    """How deep arrays and objects nest in a JSON text, brackets within strings not
    counted: a few passes of bytes methods (C), linear in the worst case."""
    unescaped = body.replace(b"\\\\", b"").replace(b'\\"', b"")
    marks = unescaped.translate(None, _MARKS)  # quotes and brackets only
    outside = b"".join(marks.split(b'"')[0::2])  # what no string holds
    steps = array("b", outside.translate(_STEPS))  # +1 opens, -1 closes
    return max(accumulate(steps), default=0)


def decode(body: bytes) -> Any:
    """A UTF-8 JSON body (RFC 8259; in UTF-8 no byte of another character is a
    bracket or quote), refused as not JSON when it nests deeper than ``MAX_DEPTH``."""
    text = body.decode("utf-8-sig")  # FastAPI answers a UnicodeDecodeError with 400
    if body.count(b"[") + body.count(b"{") > MAX_DEPTH and depth(body) > MAX_DEPTH:
        raise json.JSONDecodeError(TOO_DEEP.render(), text[:200], 0)
    return json.loads(text)


class _Request(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = decode(await self.body())
        return self._json


class LimitedRoute(APIRoute):
    """A route whose JSON body is decoded by ``decode`` (FastAPI answers a
    ``JSONDecodeError`` as a 422 ``json_invalid``)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            return await handler(_Request(request.scope, request.receive))

        return limited

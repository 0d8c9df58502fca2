"""What the access line costs a request: the middleware around a bare ASGI app.

    python -m bench.access_log [--requests 50000]

CPU time per request of an app that answers at once, bare and inside ``AccessLog``,
with ``serve``'s logging at info (a line per request, written to /dev/null) and at
warning (no line). The whole server's cost per request is ``bench.api``'s
``server CPU µs``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging.config
import os
import sys
import time
from typing import TYPE_CHECKING, Any

from api.access_log import AccessLog
from api.server import log_config

if TYPE_CHECKING:
    from starlette.types import ASGIApp


class Route:
    """What a router leaves in the scope."""

    path_format = "/facts/check"


async def answer(scope: Any, receive: Any, send: Any) -> None:
    """An app that matched a route and answers at once."""
    scope["route"] = Route
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def per_request(app: ASGIApp, requests: int) -> float:
    """CPU microseconds per request through ``app``."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        return None

    start = time.process_time()
    for _ in range(requests):
        scope = {"type": "http", "method": "POST", "path": "/facts/check"}
        await app(scope | {"root_path": ""}, receive, send)
    return (time.process_time() - start) / requests * 1e6


def main() -> None:
    """Print the cost at info and at warning."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50_000)
    args = parser.parse_args()
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (the process's stderr)
    for level in ("info", "warning"):
        logging.config.dictConfig(log_config(level))
        bare = asyncio.run(per_request(answer, args.requests))
        logged = asyncio.run(per_request(AccessLog(answer), args.requests))
        print(f"{level}: {logged - bare:.1f} µs per request ({bare:.1f} µs bare)")


if __name__ == "__main__":
    main()

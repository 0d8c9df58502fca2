"""One log line per request: method, route, status, milliseconds.

The route is the template the request matched (``/organizations/{org}``), never the
path or the query string a client sent: those can hold a phone or an ID number typed
into a search, and a log is kept longer and read more widely than the ledger's
personal data may be. Headers, tokens and bodies are never logged. A request that
matched no route is logged as ``-``.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("tierledger.access")


class AccessLog:
    """ASGI middleware writing the access line of each HTTP request at INFO."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Checked per request: below INFO the server pays one comparison.
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        start, root = time.perf_counter(), scope.get("root_path", "")
        status = 0  # no answer started: the client went away first

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except BaseException:
            status = status or 500  # what the outermost middleware answers
            raise
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            where = route(scope, root)
            log.info("%s %s %d %.1f ms", scope["method"], where, status, elapsed)


def route(scope: Scope, root: str = "") -> str:
    """The template of the route a request matched; ``-`` when none did.

    A mounted app (``/static``) leaves no route in the scope, only its prefix
    added to ``root_path`` (``root``, before the request): ``/static/{path}``.
    """
    template = getattr(scope.get("route"), "path_format", None)
    if isinstance(template, str) and template:
        return template
    mounted = str(scope.get("root_path", "")).removeprefix(root)
    return f"{mounted}/{{path}}" if mounted else "-"

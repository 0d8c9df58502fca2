"""The headers every web page carries: a strict Content-Security-Policy and friends.

No script or style from another origin, no inline script, no inline style: ECharts
draws its tooltips on the canvas (``renderMode: "richText"``), so ``style-src``
needs no ``'unsafe-inline'`` (decision 0030).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "permissions-policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    ),
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
PRIVATE = {"cache-control": "no-store", "vary": "Accept-Language, Cookie"}
"""Pages (not assets) hold personal data: no cache keeps them."""


def is_web(path: str) -> bool:
    """Whether a path is the web interface's (the rest is the API's)."""
    return path == "/" or path == "/web" or path.startswith("/web/")


class SecurityHeaders:
    """Add the headers to every response of the web interface's paths."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not is_web(path):
            await self.app(scope, receive, send)
            return
        extra = dict(HEADERS)
        if not path.startswith("/web/static/"):
            extra.update(PRIVATE)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(
                        (name.encode(), value.encode())
                        for name, value in extra.items()
                        if name.encode() not in names
                    ),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)

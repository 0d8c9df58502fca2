"""The API's documentation pages — Swagger UI at ``/docs``, ReDoc at ``/redoc`` — with
their scripts and styles served by the node (``/static``): a government intranet
reaches no public CDN, and FastAPI's own pages load theirs from one."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent.parent / "static"
"""Vendored assets, their versions and licences in ``api/static/README.md``."""
router = APIRouter(include_in_schema=False)
ONLY_THIS_NODE = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",  # both set styles from their scripts
        "script-src 'self' 'unsafe-inline'",  # the pages' inline start-up script
        "worker-src 'self' blob:",  # ReDoc's search index runs in a blob worker
        "connect-src 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
"""The docs pages' Content-Security-Policy: the browser loads nothing from any other
origin. ReDoc's bundle always shows Redocly's logo from its CDN; this blocks it
before it is asked for, and ReDoc then leaves it out."""


def static_files() -> StaticFiles:
    """The app mounted at ``/static``."""
    return StaticFiles(directory=STATIC)


def _root(request: Request) -> str:
    """The path the app is served under (a reverse proxy's prefix), without ``/``."""
    return str(request.scope.get("root_path", "")).rstrip("/")


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Browse the API with Swagger UI."""
    root = _root(request)
    page = get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} — Swagger UI",
        swagger_js_url=f"{root}/static/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/static/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{root}/static/swagger-ui/favicon-32x32.png",
        # No badge fetched from the public validator service.
        swagger_ui_parameters={"validatorUrl": None},
    )
    page.headers["Content-Security-Policy"] = ONLY_THIS_NODE
    return page


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """Read the API's reference with ReDoc."""
    root = _root(request)
    page = get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} — ReDoc",
        redoc_js_url=f"{root}/static/redoc/redoc.standalone.js",
        redoc_favicon_url="data:,",  # none: the browser asks no one for one
        with_google_fonts=False,
    )
    page.headers["Content-Security-Policy"] = ONLY_THIS_NODE
    return page

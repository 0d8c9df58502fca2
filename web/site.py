"""Mount the web interface into a node's app: pages, assets, headers, error pages."""

from __future__ import annotations

import inspect
import logging
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import LedgerError
from domain.messages import Text
from infrastructure.i18n import translator
from infrastructure.stores import DATA_ERRORS
from web.layout import page
from web.routes import (
    audit,
    audit_views,
    auth,
    importing,
    organization,
    overview,
    pages,
    policy,
    reconcile,
    record,
    registry,
    sync_page,
)
from web.security import SecurityHeaders, is_web
from web.templating import STATIC_PREFIX, page_locale

if TYPE_CHECKING:
    from fastapi import FastAPI, Request
    from starlette.responses import Response

log = logging.getLogger("tierledger.web")
STATIC = Path(__file__).parent / "static"
TITLES = {
    400: Text("The request could not be read"),
    403: Text("Not allowed"),
    404: Text("Page not found"),
    405: Text("Not allowed"),
    413: Text("The request could not be read"),
    422: Text("This could not be done"),
    500: Text("Something went wrong"),
}
UNREADABLE: tuple[type[Exception], ...] = (
    ValueError,
    RecursionError,
    OverflowError,
    *DATA_ERRORS,
)
"""What only a value sent from outside raises (the API refuses them as input)."""


def mount(app: FastAPI) -> None:
    """Serve the web interface from ``app`` beside its API: pages at ``/`` and
    ``/web/…``, assets at ``/web/static/``; errors on those paths as pages. Call it
    after the API's error handlers are installed: it wraps each of them."""
    app.include_router(auth.router, include_in_schema=False)
    app.include_router(pages.router, include_in_schema=False)
    for area in (overview, registry, organization, record, importing, reconcile,
                 audit, audit_views, sync_page, policy):  # fmt: skip
        app.include_router(area.router, include_in_schema=False)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC), name="web-static")
    app.add_middleware(SecurityHeaders)
    for kind in list(app.exception_handlers):
        if isinstance(kind, type):
            _wrap(app, kind)


def _wrap(app: FastAPI, kind: type[Exception]) -> None:
    """Answer ``kind`` with a page on the web's paths; the API's handler elsewhere."""
    api_handler = app.exception_handlers[kind]

    async def handler(request: Request, error: Exception) -> Response:
        if is_web(request.url.path):
            return error_page(request, error)
        answer = api_handler(request, error)
        return await answer if inspect.isawaitable(answer) else answer

    app.exception_handlers[kind] = handler


def error_page(request: Request, error: Exception) -> Response:
    """The page for an error on a web path: to sign in for 401, else a page saying
    what happened, in the reader's language."""
    status, message = _status_and_message(error)
    if status == 401:
        return RedirectResponse(_sign_in_url(request), status_code=303)
    if status == 500:
        log.error("unexpected %s on a web page", type(error).__name__)
    return page(
        request,
        "error.html",
        None,
        status=status,
        title=TITLES.get(status, TITLES[500]),
        message=message.render(translator(page_locale(request))),
    )


def _status_and_message(error: Exception) -> tuple[int, Text]:
    """The status of an error on a web page, and what the page says."""
    if isinstance(error, StarletteHTTPException):
        detail = error.detail
        if isinstance(detail, Text):
            return error.status_code, detail
        if error.status_code == 404:
            return 404, Text("There is no page at this address.")
        return error.status_code, Text("This cannot be done here.")
    if isinstance(error, LedgerError):
        return 422, error.text
    if isinstance(error, (RequestValidationError, *UNREADABLE)):
        return 400, Text("The form sent could not be read; open the page again.")
    return 500, Text("the node could not complete the request; nothing was recorded")


def _sign_in_url(request: Request) -> str:
    """The sign-in page, coming back here afterwards (for a page, not a form)."""
    if request.method != "GET" or request.url.path.startswith("/web/log"):
        return "/web/login"
    query = f"?{request.url.query}" if request.url.query else ""
    return "/web/login?" + urlencode({"next": request.url.path + query})

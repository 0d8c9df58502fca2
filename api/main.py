"""The HTTP app of one node, built by `create_app`; nothing connects at import."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI, HTTPException

from api import errors
from api.access_log import AccessLog
from api.deps import storable_parameters
from api.routes import docs as docs_routes
from api.routes import exports as export_routes
from api.routes import ledger as ledger_routes
from api.routes import operations as operation_routes
from api.routes import sync as sync_routes
from api.routes import views as views_routes
from domain.messages import Text
from domain.node_sync import NodeSync
from infrastructure.i18n import locale_from_accept_language, translator
from infrastructure.settings import Settings
from service.node import open_node
from web import site

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from domain.codes import NodeCode
    from infrastructure.stores import Store
    from projections.node_views import NodeViews

log = logging.getLogger("tierledger.api")
DESCRIPTION = """
The API every tierledger node serves: clerks record facts, auditors read views,
reconcile and verify, peer nodes pull and push facts. Bearer tokens are issued per
node and role by `tierledger token create NODE --role clerk|auditor|peer`. Errors are
RFC 9457 `application/problem+json` with a stable `code` — the codes the CLI prints.
"""


class BodyLimit:
    """Refuse bodies above the limit with 413 — by their declared length, and by
    counting what arrives when none is declared (chunked uploads)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and (
            not declared.isdigit() or int(declared) > self.limit
        ):
            accepted = headers.get(b"accept-language", b"").decode("latin-1")
            locale = locale_from_accept_language(accepted)
            response = errors.problem(
                413, "payload-too-large", "Payload too large",
                self.refusal().render(translator(locale)), locale,
            )  # fmt: skip
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                # FastAPI lets an HTTPException raised while reading pass through.
                raise HTTPException(413, self.refusal())
            return message

        await self.app(scope, counted, send)

    def refusal(self) -> Text:
        """Why a body is refused."""
        return Text("bodies are limited to {limit} bytes", limit=self.limit)


def verify_at_start(sync: NodeSync, views: NodeViews) -> threading.Thread:
    """Verify every chain held once, beside the server's start, and record what
    was found: a restarted server does not answer over a chain broken meanwhile.
    Reads answer by the last record until it ends (seconds per million facts)."""

    def run() -> None:
        try:
            reports = views.verify(sync.verify_all)
        except Exception as error:  # nobody else would hear of it
            log.error("start-up verification failed: %s", type(error).__name__)
            return
        for origin, report in reports.items():
            if not report.ok:
                log.warning("chain broken at origin %s %s", origin, report.problems[0])

    thread = threading.Thread(target=run, name="start-up verification", daemon=True)
    thread.start()
    return thread


def create_app(
    node: NodeCode, store: Store, settings: Settings | None = None
) -> FastAPI:
    """The API and web interface of one node, serving its ledger from ``store``."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = open_node(store, node, shared=True)
        app.state.node = opened
        app.state.sync = opened.sync
        app.state.tokens = opened.tokens
        app.state.settings = settings
        app.state.verifying = verify_at_start(opened.sync, opened.views)
        yield
        app.state.verifying.join()  # it reads the stores about to close
        opened.close()

    app = FastAPI(
        title=f"tierledger node {node}",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        dependencies=[Depends(storable_parameters)],
        docs_url=None,  # served with local assets: api/routes/docs.py
        redoc_url=None,
    )
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(AccessLog)  # outermost: it times and logs refusals too
    errors.install(app)
    for routes in (ledger_routes, sync_routes, views_routes, operation_routes,
                   export_routes):  # fmt: skip
        app.include_router(routes.router, responses=errors.PROBLEMS)
    app.include_router(docs_routes.router)
    app.mount("/static", docs_routes.static_files(), name="static")
    site.mount(app)  # the web interface, at / beside the API, on the same port
    return app

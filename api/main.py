"""The HTTP app of one node, built by `create_app`; nothing connects at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from api import errors
from api.routes import ledger as ledger_routes
from api.routes import sync as sync_routes
from api.routes import views as views_routes
from domain.node_sync import NodeSync
from projections.keys import Ed25519Signer, Ed25519Verifier
from projections.tokens import TokenStore

if TYPE_CHECKING:
    from domain.codes import NodeCode
    from projections.stores import Store

MAX_BODY = 16 * 1024 * 1024


class BodyLimit(BaseHTTPMiddleware):
    """Refuse oversize bodies with 413 before reading them."""

    async def dispatch(
        self, request: Request, call_next: RequestResponseEndpoint
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return errors.problem(
                413,
                "payload-too-large",
                "Payload too large",
                f"bodies are limited to {MAX_BODY} bytes",
            )
        return await call_next(request)


def create_app(node: NodeCode, store: Store) -> FastAPI:
    """The API of one node, serving its ledger from ``store``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        verifier = Ed25519Verifier()
        ledger = store.open_ledger(node, shared=True)
        ledger.verifier = verifier
        key = store.key_path(node)
        signer = Ed25519Signer.from_file(key) if key.exists() else None
        app.state.sync = NodeSync(ledger, verifier, signer)
        app.state.tokens = TokenStore(store.node_dir(node) / "tokens.json")
        app.state.views = store.open_views(ledger)
        yield
        app.state.views.close()
        ledger.close()

    app = FastAPI(title=f"tierledger node {node}", version="0.1.0", lifespan=lifespan)
    app.add_middleware(BodyLimit)
    errors.install(app)
    app.include_router(sync_routes.router)
    app.include_router(ledger_routes.router)
    app.include_router(views_routes.router)
    return app

"""The served node's process: what it does once it has started."""

from __future__ import annotations

import asyncio
import gc
from typing import TYPE_CHECKING

import pytest
import uvicorn

from api.server import YOUNG_COLLECTION_EVERY, NodeServer, listen

if TYPE_CHECKING:
    from collections.abc import Iterator

    from starlette.types import Receive, Scope, Send


async def quiet_app(scope: Scope, receive: Receive, send: Send) -> None:
    """An app with nothing to serve (its lifespan only)."""
    if scope["type"] == "lifespan":
        await receive()
        await send({"type": "lifespan.startup.complete"})


@pytest.fixture
def collector() -> Iterator[None]:
    """Python's collector as it was before the test, restored after it."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.mark.usefixtures("collector")
def test_start_up_leaves_what_it_built_out_of_full_collections() -> None:
    sock = listen("127.0.0.1", 0)
    config = uvicorn.Config(quiet_app, lifespan="on", log_config=None)
    built_at_start = [object() for _ in range(3)]  # e.g. the node and its views

    def started(url: str) -> str:
        server.should_exit = True  # serve nothing: stop once started
        return f"serving at {url}"

    server = NodeServer(config, started)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    finally:
        sock.close()
    assert server.should_exit
    assert gc.get_freeze_count() >= len(built_at_start)
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_EVERY

"""Serving a node's API: its listening socket, its log lines, its uvicorn server."""

from __future__ import annotations

import gc
import logging
import socket
import time
from typing import TYPE_CHECKING, Any

import uvicorn

from domain.errors import UnavailableError
from domain.messages import Text

if TYPE_CHECKING:
    from collections.abc import Callable

LEVELS = ("debug", "info", "warning", "error")
"""What ``--log-level`` takes: ``info`` adds an access line per request."""
log = logging.getLogger("tierledger.server")


class UtcFormatter(logging.Formatter):
    """Log times as UTC instants with milliseconds (``2025-01-10T08:00:00.123Z``)."""

    converter = staticmethod(time.gmtime)
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"


def log_config(level: str) -> dict[str, Any]:
    """Logging for ``tierledger serve``: one line per record on stderr, UTC times.

    uvicorn's own lines (its start-up chatter, its access log with query strings)
    are kept to warnings unless ``level`` is debug.
    """
    handler = {"class": "logging.StreamHandler", "formatter": "line",
               "stream": "ext://sys.stderr"}  # fmt: skip
    server_level = "DEBUG" if level == "debug" else "WARNING"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "line": {
                "()": UtcFormatter,
                "format": "%(asctime)s %(levelname)s %(message)s",
            }
        },
        "handlers": {"stderr": handler},
        "loggers": {
            "tierledger": {"level": level.upper()},
            "uvicorn": {"level": server_level, "propagate": True},
            "uvicorn.error": {"level": server_level, "propagate": True},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``; UnavailableError naming the address and
    the system's reason when it cannot be (taken, or not this machine's)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise UnavailableError(
            Text(
                "cannot listen on {host} port {port}: {reason}",
                host=host,
                port=port,
                reason=error.strerror or type(error).__name__,
            )
        ) from None
    return sock


YOUNG_COLLECTION_EVERY = 7000
"""Allocations of container objects between two young collections."""


class NodeServer(uvicorn.Server):
    """uvicorn's server, logging where it listens once it does."""

    def __init__(
        self, config: uvicorn.Config, announcement: Callable[[str], str]
    ) -> None:
        super().__init__(config)
        self.announcement = announcement

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start as uvicorn does, then log the node's address."""
        await super().startup(sockets)
        settle_garbage_collector()
        if self.started and sockets:
            log.info("%s", self.announcement(address(sockets[0])))


def settle_garbage_collector() -> None:
    """Leave what start-up built out of Python's full collections (decision 0045).

    Modules, the app, the node, the views and the message catalogues live as long as
    the server: scanning them again in each full collection stalled every request
    under way for tens of milliseconds. A request allocates hundreds of objects, so
    young collections come ten times less often than Python's default (700)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 10, 10)


def address(sock: socket.socket) -> str:
    """The URL a bound socket answers at."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

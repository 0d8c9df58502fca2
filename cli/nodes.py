"""Opening node ledgers from the command line's global options."""

from __future__ import annotations

import contextlib
import functools
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import psycopg
import typer

from cli.output import error_line
from domain.codes import NodeCode
from domain.errors import ChainBrokenError, LedgerError
from domain.node_sync import NodeSync
from projections.keys import Ed25519Signer, Ed25519Verifier
from projections.stores import Store

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from domain.application import Ledger

P = ParamSpec("P")
R = TypeVar("R")
EXIT_INVALID = 2
EXIT_UNAVAILABLE = 3
EXIT_CHAIN_BROKEN = 4
"""A chain the node holds failed verification: its views did not answer."""


def current_store(ctx: typer.Context) -> Store:
    """The store chosen by --home / --database-url (or their environment variables)."""
    store = ctx.find_root().obj
    assert isinstance(store, Store)
    return store


@contextlib.contextmanager
def open_node(
    ctx: typer.Context, code: str, *, create: bool = False, views: bool = False
) -> Iterator[Ledger]:
    """A node's ledger for the length of one command; with ``views``, its rules also
    find organizations the node holds only through its descendants' facts."""
    store = current_store(ctx)
    node = NodeCode.parse(code)
    ledger = store.open_ledger(node, create=create)
    key = store.key_path(node)
    if key.exists():  # a long import is signed every CHECKPOINT_EVERY facts
        ledger.signer = Ed25519Signer.from_file(key)
    opened = store.open_views(ledger) if views else None
    try:
        yield ledger
    finally:
        if opened is not None:
            opened.close()
        ledger.close()


@contextlib.contextmanager
def open_sync(ctx: typer.Context, code: str) -> Iterator[NodeSync]:
    """A node's sync service (its ledger, the verifier and its signing key if here)."""
    store = current_store(ctx)
    node = NodeCode.parse(code)
    verifier = Ed25519Verifier()
    key = store.key_path(node)
    signer = Ed25519Signer.from_file(key) if key.exists() else None
    with open_node(ctx, code) as ledger:
        ledger.verifier = verifier
        yield NodeSync(ledger, verifier, signer, store.witnesses(node))


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn ledger and store errors into one line on stderr and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except LedgerError as error:
            error_line(error.code, error.message)
            broken = isinstance(error, ChainBrokenError)
            raise typer.Exit(EXIT_CHAIN_BROKEN if broken else EXIT_INVALID) from None
        except psycopg.OperationalError as error:
            first = (
                str(error).strip().splitlines()[0]
                if str(error).strip()
                else "no answer"
            )
            error_line("store-unavailable", f"cannot reach PostgreSQL: {first}")
            raise typer.Exit(EXIT_UNAVAILABLE) from None

    return wrapper

"""Opening node ledgers from the command line's global options."""

from __future__ import annotations

import contextlib
import functools
import getpass
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import psycopg
import typer

from cli.i18n import _, say
from cli.output import error_line
from domain.actor import parse_actor
from domain.errors import (
    ChainBrokenError,
    InputError,
    LedgerError,
    UnavailableError,
    UnreadableSnapshotError,
)
from domain.messages import Text
from infrastructure.stores import Store
from service import node as service

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from domain.application import Ledger
    from domain.node_sync import NodeSync
    from service.node import Node

NodeArg = Annotated[
    str,
    typer.Argument(
        help=_("Division code: 6 (district), 9 (street) or 12 (community) digits.")
    ),
]
"""A node's division code, as every command takes it."""
P = ParamSpec("P")
R = TypeVar("R")
EXIT_INVALID = 2
EXIT_UNAVAILABLE = 3
EXIT_CHAIN_BROKEN = 4
"""A chain the node holds failed verification: its views did not answer."""


CLI_UNKNOWN = "cli:unknown"
"""The actor of a command line whose user the system does not name (or names in a
form an actor cannot hold)."""


def cli_actor() -> str:
    """Who records from this command line: ``cli:<operating-system user>``."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment, no passwd entry
        return CLI_UNKNOWN
    try:
        return parse_actor(f"cli:{user}")
    except InputError:
        return CLI_UNKNOWN


def current_store(ctx: typer.Context) -> Store:
    """The store chosen by --home / --database-url (or their environment variables)."""
    store = ctx.find_root().obj
    assert isinstance(store, Store)
    return store


@contextlib.contextmanager
def open_node(ctx: typer.Context, code: str, *, create: bool = False) -> Iterator[Node]:
    """A node, from the composition root, for the length of one command."""
    with service.open_node(current_store(ctx), code, create=create) as node:
        yield node


@contextlib.contextmanager
def open_ledger(ctx: typer.Context, code: str) -> Iterator[Ledger]:
    """A node's ledger, for commands that only read its own journal."""
    with open_node(ctx, code) as node:
        yield node.ledger


@contextlib.contextmanager
def open_sync(ctx: typer.Context, code: str) -> Iterator[NodeSync]:
    """A node's sync service (its ledger, the verifier and its signing key if here)."""
    with open_node(ctx, code) as node:
        yield node.sync


def exit_status(error: LedgerError) -> int:
    """The exit status a command ends with on ``error``."""
    if isinstance(error, ChainBrokenError | UnreadableSnapshotError):
        return EXIT_CHAIN_BROKEN
    if isinstance(error, UnavailableError):
        return EXIT_UNAVAILABLE
    return EXIT_INVALID


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn ledger and store errors into one line on stderr and a non-zero exit."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except LedgerError as error:
            error_line(error.code, error.render(_))
            raise typer.Exit(exit_status(error)) from None
        except psycopg.OperationalError as error:
            first = (
                str(error).strip().splitlines()[0]
                if str(error).strip()
                else say(Text("no answer"))
            )
            unreachable = Text("cannot reach PostgreSQL: {reason}", reason=first)
            error_line("store-unavailable", say(unreachable))
            raise typer.Exit(EXIT_UNAVAILABLE) from None

    return wrapper

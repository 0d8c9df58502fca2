"""`tierledger serve` and `tierledger key`: running a node for its neighbours."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
import uvicorn

from api.main import create_app
from api.server import LEVELS, NodeServer, listen, log_config
from cli.choices import format_option, one_of
from cli.i18n import _, say
from cli.nodes import NodeArg, current_store, reports_errors
from cli.output import console, print_json
from domain.codes import NodeCode
from domain.errors import NodeNotFoundError
from domain.messages import Text
from infrastructure.keys import Ed25519Signer, Ed25519Verifier
from infrastructure.settings import Settings

LogLevel = Annotated[
    str | None,
    typer.Option(
        help=say(
            Text(
                "{levels}; info logs a line per request "
                "(env TIERLEDGER_LOG_LEVEL, default info).",
                levels=", ".join(LEVELS),
            )
        ),
        callback=one_of("--log-level", LEVELS),
    ),
]


@reports_errors
def serve(
    ctx: typer.Context,
    node: NodeArg,
    host: Annotated[
        str | None,
        typer.Option(
            help=_("Address to listen on (env TIERLEDGER_HOST, default 127.0.0.1).")
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(help=_("Port to listen on (env TIERLEDGER_PORT, default 8000).")),
    ] = None,
    log_level: LogLevel = None,
) -> None:
    """Serve the node's web interface (at /) and HTTP API (see /docs)."""
    settings = Settings()
    code = NodeCode.parse(node)
    store = current_store(ctx)
    ledger = store.open_ledger(code)  # fails fast, with the usual message, if absent
    name = ledger.node_name()
    ledger.close()
    level = log_level or settings.log_level
    sock = listen(host or settings.host, port or settings.port)
    config = uvicorn.Config(
        create_app(code, store, settings),
        log_config=log_config(level),
        access_log=False,  # uvicorn's has the query string; api.access_log has not
    )
    NodeServer(config, listening(code, name)).run(sockets=[sock])


def listening(code: NodeCode, name: str) -> Callable[[str], str]:
    """The line ``serve`` logs once it listens at a URL, in the shell's language."""

    def line(url: str) -> str:
        return say(
            Text(
                "node {node} {name} listening on {url} (API documentation at "
                "{url}/docs)",
                node=code.value,
                name=name,
                url=url,
            )
        )

    return line


@reports_errors
def key(
    ctx: typer.Context,
    node: NodeArg,
    output: Annotated[str, format_option("text", "json")] = "text",
) -> None:
    """Print the node's public key and fingerprint (for its parent's `enroll`)."""
    code = NodeCode.parse(node)
    path = current_store(ctx).key_path(code)
    if not path.exists():
        raise NodeNotFoundError(
            Text(
                "node {node} has no key in {folder}: run `tierledger init {node}` "
                "where its store is",
                node=code.value,
                folder=str(path.parent),
            )
        )
    public = Ed25519Signer.from_file(path).public_key
    fingerprint = Ed25519Verifier().fingerprint(public)
    if output == "json":
        print_json({"node": code.value, "public_key": public,
                    "fingerprint": fingerprint})  # fmt: skip
        return
    console.print(say(Text("public key:  {key}", key=public)), markup=False)
    shown = Text("fingerprint: {fingerprint}", fingerprint=fingerprint)
    console.print(say(shown), markup=False)
    if code.parent is not None:
        enroll = Text(
            "its parent trusts it with: tierledger enroll {parent} {node} --key {key}",
            parent=code.parent.value,
            node=code.value,
            key=public,
        )
        console.print(say(enroll), markup=False)

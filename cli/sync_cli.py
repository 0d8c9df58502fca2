"""`tierledger sync ...`, `enroll`, `checkpoint` and `serve`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.choices import format_option
from cli.i18n import LOCALE, _, say
from cli.importing import progress_bar
from cli.nodes import cli_actor, open_node, open_sync, reports_errors
from cli.output import console, err_console, print_json
from domain.errors import InvalidFieldError
from domain.messages import Text
from domain.witness import Witness
from infrastructure.files import write_private
from infrastructure.i18n import language_tag
from infrastructure.keys import Ed25519Verifier
from sync import bundle, runner
from sync.client import PeerClient

sync_app = typer.Typer(
    rich_markup_mode=None,
    help=_("Move facts upward: pull, push, bundles; status and forks."),
)
NodeArg = Annotated[str, typer.Argument(help=_("This node's division code."))]
Token = Annotated[
    str,
    typer.Option(
        envvar="TIERLEDGER_PEER_TOKEN",
        help=_("Bearer token the other node issued to this one."),
    ),
]


@sync_app.command()
@reports_errors
def pull(
    ctx: typer.Context,
    node: NodeArg,
    child_url: Annotated[
        str, typer.Argument(help=_("The child node's API, e.g. http://127.0.0.1:8601."))
    ],
    token: Token,
) -> None:
    """Read a direct child's feed over HTTP and ingest it."""
    client = PeerClient(child_url, token, language=language_tag(LOCALE))
    with (
        open_sync(ctx, node) as sync,
        progress_bar(0, "pulling", enabled=console.is_terminal) as bar,
    ):
        task = bar.add_task("pull", total=None)
        run = runner.pull(sync, client, lambda done: bar.update(task, completed=done))
    client.close()
    console.print(say(run.summary()), markup=False)


@sync_app.command()
@reports_errors
def push(
    ctx: typer.Context,
    node: NodeArg,
    parent_url: Annotated[
        str, typer.Argument(help=_("The parent node's API, e.g. http://street:8600."))
    ],
    token: Token,
) -> None:
    """Sign the head and post unsent facts to the parent's ingest endpoint."""
    client = PeerClient(parent_url, token, language=language_tag(LOCALE))
    with (
        open_sync(ctx, node) as sync,
        progress_bar(0, "pushing", enabled=console.is_terminal) as bar,
    ):
        task = bar.add_task("push", total=None)
        run = runner.push(sync, client, lambda done: bar.update(task, completed=done))
    client.close()
    console.print(say(run.summary()), markup=False)


@sync_app.command("export")
@reports_errors
def export_bundle(
    ctx: typer.Context,
    node: NodeArg,
    file: Annotated[Path, typer.Argument(help=_("The bundle file to write."))],
    after: Annotated[int, typer.Option(help=_("Feed position to start after."))] = 0,
) -> None:
    """Write this node's facts into one compressed bundle file for an offline trip."""
    with open_sync(ctx, node) as sync:
        count = runner.export(sync, file, after)
    wrote = Text("wrote {count} facts to {file}", count=count, file=file)
    console.print(say(wrote), markup=False)


@sync_app.command("import")
@reports_errors
def import_bundle(
    ctx: typer.Context,
    node: NodeArg,
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, help=_("The file to read.")),
    ],
) -> None:
    """Check a whole bundle, then ingest it; importing it twice changes nothing."""
    with (
        open_sync(ctx, node) as sync,
        progress_bar(0, "importing", enabled=console.is_terminal) as bar,
    ):
        task = bar.add_task("import", total=None)
        run = runner.import_bundle(
            sync, file, lambda done: bar.update(task, completed=done)
        )
    console.print(say(run.summary()), markup=False)
    if run.witness is not None:
        receipt = file.with_name(file.name + ".receipt.json")
        write_private(receipt, json.dumps(run.witness.as_dict(), ensure_ascii=False))
        carry = Text(
            "receipt for {source} up to seq {seq}: {receipt} — carry it back and run "
            "`tierledger sync witness {source} {name}`",
            source=run.source,
            seq=run.witness.seq,
            receipt=receipt,
            name=receipt.name,
        )
        console.print(say(carry), markup=False)


@sync_app.command("witness")
@reports_errors
def keep_witness(
    ctx: typer.Context,
    node: NodeArg,
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, help=_("The file to read.")),
    ],
) -> None:
    """Keep the parent's signed receipt that came back with an imported bundle."""
    try:
        receipt = Witness.parse(json.loads(file.read_text(encoding="utf-8")))
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidFieldError(
            Text("{file} is not a receipt ({error})", file=file.name, error=error)
        ) from None
    with open_sync(ctx, node) as sync:
        sync.keep_witness(receipt)
    kept = Text("kept: {parent} holds {node} up to seq {seq}",
                parent=receipt.parent, node=node, seq=receipt.seq)  # fmt: skip
    console.print(say(kept), markup=False)


@sync_app.command()
@reports_errors
def status(
    ctx: typer.Context,
    node: NodeArg,
    output: Annotated[str, format_option("table", "json")] = "table",
) -> None:
    """Per origin: last seq and hash held, signed seq, last contact, lag; open forks."""
    with open_node(ctx, node) as opened:
        found = opened.sync_status()
    if output == "json":
        print_json(found.model_dump(mode="json"))
        return
    for o in found.origins:
        line = Text(
            "{origin} ({kind}) seq {seq} {hash}… signed to {signed}, via {via}, "
            "last contact {contact}, lag {lag}",
            origin=o.origin,
            kind=Text("child") if o.direct_child else Text("descendant"),
            seq=o.seq,
            hash=o.hash[:12],
            signed=o.signed_seq,
            via=o.via or "-",
            contact=o.last_contact,
            lag="?" if o.lag is None else str(o.lag),
        )
        console.print(say(line), markup=False)
    for fork in found.forks:
        line = Text(
            "FORK {origin} at seq {seq}: held {held}…, offered {offered}… via {via} "
            "— unresolved",
            origin=fork.origin,
            seq=fork.at_seq,
            held=fork.held_hash[:12],
            offered=fork.offered_hash[:12],
            via=fork.via,
        )
        err_console.print(say(line), markup=False)


@sync_app.command()
@reports_errors
def resolve(
    ctx: typer.Context,
    node: NodeArg,
    origin: Annotated[str, typer.Argument(help=_("The child whose fork it is."))],
    seq: Annotated[int, typer.Argument(help=_("The seq the fork report names."))],
    note: Annotated[str, typer.Option(help=_("What the operator found."))],
) -> None:
    """Close a fork report (the history held stays; the offered one stays refused)."""
    with open_sync(ctx, node) as sync:
        receipt = sync.resolve_fork(origin, seq, note, actor=cli_actor())
    console.print(_("seq {seq} {hash}").format(seq=receipt.seq, hash=receipt.hash))


@reports_errors
def enroll(
    ctx: typer.Context,
    node: NodeArg,
    child: Annotated[str, typer.Argument(help=_("The direct child's division code."))],
    key: Annotated[
        str | None, typer.Option(help=_("The child's public key (base64)."))
    ] = None,
    from_bundle: Annotated[
        Path | None, typer.Option(help=_("Take the key from a child's bundle."))
    ] = None,
    fingerprint: Annotated[
        str | None, typer.Option(help=_("Confirm the key's fingerprint."))
    ] = None,
) -> None:
    """Trust a direct child's public key (ChildEnrolled)."""
    if from_bundle is not None:
        key = _key_from_bundle(from_bundle, child)
        shown = Ed25519Verifier().fingerprint(key)
        if fingerprint != shown:
            raise InvalidFieldError(
                Text(
                    "confirm the key fingerprint {fingerprint} with the station, "
                    "then rerun with --fingerprint {fingerprint}",
                    fingerprint=shown,
                )
            )
    if key is None:
        raise InvalidFieldError(Text("give --key or --from-bundle"))
    with open_sync(ctx, node) as sync:
        receipt = sync.enroll(child, key, actor=cli_actor())
    enrolled = Text("enrolled {child}: seq {seq} {hash}", child=child,
                    seq=receipt.seq, hash=receipt.hash)  # fmt: skip
    console.print(say(enrolled), markup=False)


def _key_from_bundle(path: Path, child: str) -> str:
    found = bundle.read(path)
    for page in found.pages:
        for fact in page["facts"]:
            if fact["node"] == child and fact["seq"] == 1:
                return str(fact["payload"]["public_key"])
    raise InvalidFieldError(
        Text("{file} does not hold {child}'s genesis fact", file=path.name, child=child)
    )


@reports_errors
def checkpoint(ctx: typer.Context, node: NodeArg) -> None:
    """Sign the node's head now (a Checkpoint fact)."""
    with open_sync(ctx, node) as sync:
        seq = sync.checkpoint(force=True)
    console.print(say(Text("checkpoint at seq {seq}", seq=seq)))

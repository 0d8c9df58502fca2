"""`tierledger token create|list|revoke`: bearer tokens for a node's HTTP API."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli.choices import format_option
from cli.i18n import _, say
from cli.nodes import current_store, reports_errors
from cli.output import console, print_json
from domain.codes import NodeCode
from domain.errors import InvalidFieldError
from domain.messages import Text
from infrastructure.tokens import ROLES, TokenStore, parse_expiry, peer_direction

NodeArg = Annotated[str, typer.Argument(help=_("This node's division code."))]

token_app = typer.Typer(
    rich_markup_mode=None,
    help=_("Bearer tokens for this node's HTTP API (stored hashed)."),
)


@token_app.command("create")
@reports_errors
def token_create(
    ctx: typer.Context,
    node: NodeArg,
    role: Annotated[
        str, typer.Option(help=_("One of {roles}.").format(roles=", ".join(ROLES)))
    ],
    peer: Annotated[
        str | None,
        typer.Option(
            "--for", help=_("For a peer token: this node's parent, or a direct child.")
        ),
    ] = None,
    expires: Annotated[
        str | None,
        typer.Option(help=_("When it stops working: 30d, 12h or 2027-01-01 (UTC).")),
    ] = None,
) -> None:
    """Issue a token; it is printed once and stored only as a hash."""
    code = NodeCode.parse(node)
    tokens = _tokens(ctx, code)
    if role not in ROLES:
        raise InvalidFieldError(
            Text("role must be one of {roles}", roles=", ".join(ROLES))
        )
    subject = NodeCode.parse(peer).value if peer else None
    if role == "peer" and peer_direction(code, subject) is None:
        raise InvalidFieldError(
            Text(
                "a peer token is for {node}'s parent or a direct child: --for NODE",
                node=code,
            )
        )
    until = parse_expiry(expires) if expires else None
    print(tokens.create(role, subject, until))


@token_app.command("list")
@reports_errors
def token_list(
    ctx: typer.Context,
    node: NodeArg,
    output: Annotated[str, format_option("table", "json")] = "table",
) -> None:
    """Every token issued here: id, role, peer, created, expires, revoked, last used."""
    entries = [e.public() for e in _tokens(ctx, NodeCode.parse(node)).entries()]
    if output == "json":
        print_json(entries)
        return
    for e in entries:
        console.print(say(_token_line(e)), markup=False)


def _token_line(e: dict[str, Any]) -> Text:
    """One token, a line: id, role, peer, created, expires, state, last used."""
    never = Text("never")
    state = (
        Text("REVOKED {at}", at=e["revoked_at"]) if e["revoked_at"] else Text("live")
    )
    # Padded as columns: the widths are the roles' and a peer's code.
    role, peer = f"{e['role']:<7}", f"{e['subject'] or '-':<12}"
    return Text(
        "{id}  {role} {peer} created {created}  expires {expires}  {state}  "
        "last used {used}",
        id=e["id"],
        role=role,
        peer=peer,
        created=e["created_at"],
        expires=e["expires_at"] or never,
        state=state,
        used=e["last_used_at"] or never,
    )


@token_app.command("revoke")
@reports_errors
def token_revoke(
    ctx: typer.Context,
    node: NodeArg,
    token_id: Annotated[str, typer.Argument(help=_("The id `token list` shows."))],
) -> None:
    """Revoke a token: it is refused from now on (a running server included)."""
    revoked = _tokens(ctx, NodeCode.parse(node)).revoke(token_id)
    done = Text("revoked {id} ({role})", id=revoked.id, role=revoked.role)
    console.print(say(done), markup=False)


def _tokens(ctx: typer.Context, code: NodeCode) -> TokenStore:
    store = current_store(ctx)
    if not store.exists(code):
        store.open_ledger(code)  # raises the usual node-not-found error
    return TokenStore(store.node_dir(code) / "tokens.json")

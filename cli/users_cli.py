"""`tierledger user add|list|passwd|disable`: people's accounts for the web pages."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli.choices import format_option
from cli.i18n import _, say
from cli.nodes import NodeArg, open_node, reports_errors
from cli.output import console, print_json
from domain.errors import InvalidFieldError
from domain.messages import Text
from infrastructure.accounts import ROLES

NameArg = Annotated[str, typer.Argument(help=_("The person's account name."))]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help=_("Read the password from the first line of stdin (for scripts)."),
    ),
]

user_app = typer.Typer(
    rich_markup_mode=None,
    help=_("People's accounts for this node's web interface (passwords hashed)."),
)


@user_app.command("add")
@reports_errors
def user_add(
    ctx: typer.Context,
    node: NodeArg,
    name: NameArg,
    role: Annotated[str, typer.Option(help=_("clerk or auditor."))],
    password_stdin: PasswordStdin = False,
) -> None:
    """Open an account; the password is asked twice (or read from stdin)."""
    if role not in ROLES:
        raise InvalidFieldError(
            Text("role must be one of {roles}", roles=", ".join(ROLES)), field="role"
        )
    with open_node(ctx, node) as opened:
        password = _password(password_stdin)
        account = opened.accounts.add(name, role, password)
    print(say(Text("added {name} ({role})", name=account.name, role=account.role)))


@user_app.command("list")
@reports_errors
def user_list(
    ctx: typer.Context,
    node: NodeArg,
    output: Annotated[str, format_option("table", "json")] = "table",
) -> None:
    """Every account: name, role, created, disabled, locked (never a password)."""
    with open_node(ctx, node) as opened:
        accounts = [a.public() for a in opened.accounts.entries()]
    if output == "json":
        print_json(accounts)
        return
    for a in accounts:
        state = (
            say(Text("disabled {at}", at=a["disabled_at"]))
            if a["disabled_at"]
            else _("active")
        )
        console.print(
            f"{a['name']}  {a['role']:<7}  {a['created_at']}  {state}", markup=False
        )


@user_app.command("passwd")
@reports_errors
def user_passwd(
    ctx: typer.Context,
    node: NodeArg,
    name: NameArg,
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password; the account's sessions end (a running server included)."""
    with open_node(ctx, node) as opened:
        if opened.accounts.get(name) is None:
            raise InvalidFieldError(
                Text("no account named {name}", name=name), field="name"
            )
        opened.accounts.set_password(name, _password(password_stdin))
        ended = opened.sessions.end_all(name)
    print(say(Text("password changed; {count} sessions ended", count=ended)))


@user_app.command("disable")
@reports_errors
def user_disable(ctx: typer.Context, node: NodeArg, name: NameArg) -> None:
    """Disable an account: it cannot sign in, and its sessions end at once."""
    with open_node(ctx, node) as opened:
        opened.accounts.disable(name)
        ended = opened.sessions.end_all(name)
    print(say(Text("disabled {name}; {count} sessions ended", name=name, count=ended)))


def _password(from_stdin: bool) -> str:
    """The new password: stdin's first line, or asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    entered: str = typer.prompt(
        _("Password"), hide_input=True, confirmation_prompt=_("Repeat the password")
    )
    return entered

"""`tierledger demo --serve`: keep the demo network running, with people to sign in.

Each node gets two demo accounts — a clerk and an auditor — sharing one password
drawn afresh for this run (printed once, never stored in clear), so a newcomer can
open every node's web interface in a browser while the demo keeps serving.
"""

from __future__ import annotations

import secrets
import signal
import threading
from typing import TYPE_CHECKING

from rich.table import Table

from cli.i18n import say
from cli.output import console
from domain.codes import NodeCode, division_name
from domain.messages import Text
from service.node import open_node

if TYPE_CHECKING:
    from collections.abc import Mapping

    from cli.demo import Served
    from infrastructure.stores import Store

CLERK, AUDITOR = "王秀英", "李建国"
"""The demo's people at every node: a clerk and an auditor."""


def open_accounts(store: Store, codes: list[str]) -> str:
    """A clerk and an auditor at each node, with one new password; the password."""
    password = secrets.token_urlsafe(9)
    for code in codes:
        with open_node(store, NodeCode(code), shared=True) as node:
            for name, role in ((CLERK, "clerk"), (AUDITOR, "auditor")):
                node.accounts.add(name, role, password)
    return password


def addresses_table(nodes: Mapping[str, Served]) -> Table:
    """Each node's name, code and web address."""
    table = Table(title=say(Text("The demo network, in a browser")))
    for header in (Text("node"), Text("code"), Text("address")):
        table.add_column(say(header))
    for code, served in nodes.items():
        name = division_name(NodeCode(code)) or code
        table.add_row(name, code, f"{served.url}/")
    return table


def serve_until_stopped(store: Store, nodes: Mapping[str, Served]) -> None:
    """Open the demo accounts, print where everything is, serve until Ctrl-C."""
    password = open_accounts(store, list(nodes))
    console.print(addresses_table(nodes))
    console.print(
        say(
            Text(
                "Sign in at any node as {clerk} (clerk) or {auditor} (auditor), "
                "password {password}",
                clerk=CLERK,
                auditor=AUDITOR,
                password=password,
            )
        ),
        markup=False,
    )
    console.print(say(Text("Serving; press Ctrl-C to stop.")), markup=False)
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    console.print(say(Text("Stopped; the stores stay for the commands below.")))

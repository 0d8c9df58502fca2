"""Dependencies: the node's service and the caller's token.

They are ``async def``: none of them waits on anything but a small token file, and a
synchronous dependency would cost each request a trip to the thread pool (measured in
BENCHMARKS.md, group commit and the ceiling)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import reader
from domain.actor import token_actor
from domain.messages import Text
from domain.node_sync import NodeSync
from infrastructure.tokens import TokenEntry, TokenStore, peer_direction
from service.node import Node

bearer = HTTPBearer(auto_error=False)
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL (PostgreSQL text refuses it) and lone surrogates (not encodable as UTF-8)."""


async def storable_parameters(request: Request) -> None:
    """Refuse NUL and lone surrogates in any path or query parameter (422 naming
    it): no store can hold them, so no route may pass them on."""
    for location, params in (
        ("path", request.path_params.items()),
        ("query", request.query_params.multi_items()),
    ):
        for name, value in params:
            if UNSTORABLE.search(f"{name}{value}"):
                raise RequestValidationError(
                    [{"type": "string_unstorable", "loc": (location, name),
                      "msg": Text("NUL and lone surrogates are not text"),
                      "input": None}]
                )  # fmt: skip


async def translation(request: Request) -> Callable[[str], str]:
    """The translator of the language the request accepts (English by default)."""
    return reader(request)


async def get_node(request: Request) -> Node:
    """The node service, opened once at start-up."""
    node = request.app.state.node
    assert isinstance(node, Node)
    return node


async def get_sync(request: Request) -> NodeSync:
    """The node's sync service, built once at start-up."""
    sync = request.app.state.sync
    assert isinstance(sync, NodeSync)
    return sync


async def get_tokens(request: Request) -> TokenStore:
    """The node's token store."""
    tokens = request.app.state.tokens
    assert isinstance(tokens, TokenStore)
    return tokens


async def authenticated(
    tokens: Annotated[TokenStore, Depends(get_tokens)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> TokenEntry:
    """The caller's token entry; 401 without a valid bearer token."""
    if credentials is None:
        raise HTTPException(401, Text("a bearer token is required"))
    entry = tokens.authenticate(credentials.credentials)
    if entry is None:
        raise HTTPException(401, Text("the bearer token is not valid for this node"))
    return entry


def role(*allowed: str) -> Any:
    """A dependency admitting only tokens of the ``allowed`` roles (403 otherwise)."""

    async def check(entry: Annotated[TokenEntry, Depends(authenticated)]) -> TokenEntry:
        if entry.role not in allowed:
            raise HTTPException(403, _cannot_do_this(entry.role, allowed))
        return entry

    return Depends(check)


async def peer(entry: Annotated[TokenEntry, Depends(authenticated)]) -> TokenEntry:
    """A peer node's token; 403 for other roles."""
    if entry.role != "peer":
        raise HTTPException(
            403,
            Text("a {role} token cannot use the sync endpoints", role=entry.role),
        )
    return entry


async def clerk_actor(
    entry: Annotated[TokenEntry, role("clerk")],
) -> str:
    """The actor the facts a clerk's token records name: ``token:<id>`` (the id
    ``tierledger token list`` shows), kept with each fact."""
    return token_actor(entry.id)


def peer_of(direction: str) -> Any:
    """A dependency admitting only the peer token of this node's parent ("parent":
    the feed, which carries personal data, goes only upward) or of a direct child
    ("child": it pushes, and reads its own cursor)."""

    async def check(
        entry: Annotated[TokenEntry, Depends(peer)],
        sync: Annotated[NodeSync, Depends(get_sync)],
    ) -> TokenEntry:
        found = peer_direction(sync.ledger.node, entry.subject)
        if found != direction:
            only = (
                Text(
                    "this token was issued to {subject}; only this node's parent's "
                    "token may do this",
                    subject=entry.subject,
                )
                if direction == "parent"
                else Text(
                    "this token was issued to {subject}; only a direct child's "
                    "token may do this",
                    subject=entry.subject,
                )
            )
            raise HTTPException(403, only)
        return entry

    return Depends(check)


async def allow_broken(
    entry: Annotated[TokenEntry, Depends(authenticated)],
    allow_broken: Annotated[
        bool,
        Query(
            description="Answer even over a chain the last verification found "
            "broken; the answer then leads with `chain_broken` (auditors only)."
        ),
    ] = False,
) -> bool:
    """Whether an auditor forces an answer over broken chains (403 for others)."""
    if allow_broken and entry.role != "auditor":
        raise HTTPException(
            403,
            Text(
                "a {role} token cannot force an answer over a broken chain",
                role=entry.role,
            ),
        )
    return allow_broken


def _cannot_do_this(held: str, allowed: tuple[str, ...]) -> Text:
    """Why a token of role ``held`` is refused where only ``allowed`` roles may act."""
    if len(allowed) == 1:
        return Text(
            "a {role} token cannot do this ({allowed} only)",
            role=held,
            allowed=allowed[0],
        )
    return Text(
        "a {role} token cannot do this ({first} or {second} only)",
        role=held,
        first=", ".join(allowed[:-1]),
        second=allowed[-1],
    )


NodeDep = Annotated[Node, Depends(get_node)]
SyncDep = Annotated[NodeSync, Depends(get_sync)]
PeerDep = Annotated[TokenEntry, Depends(peer)]
ParentPeerDep = Annotated[TokenEntry, peer_of("parent")]
ChildPeerDep = Annotated[TokenEntry, peer_of("child")]
AnyRoleDep = Annotated[TokenEntry, Depends(authenticated)]
ClerkDep = Annotated[TokenEntry, role("clerk")]
ClerkActorDep = Annotated[str, Depends(clerk_actor)]
"""A clerk's token (403 for other roles), as the actor of what it records."""
ReaderDep = Annotated[TokenEntry, role("clerk", "auditor")]
AuditorDep = Annotated[TokenEntry, role("auditor")]
AllowBrokenDep = Annotated[bool, Depends(allow_broken)]
TranslateDep = Annotated[Callable[[str], str], Depends(translation)]

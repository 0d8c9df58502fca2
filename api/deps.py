"""Dependencies: the node's service and the caller's principal (``access.deps``,
shared with the web interface), and the API's own rules for peers and auditors.

They are ``async def``: none of them waits on anything but a small token file, and a
synchronous dependency would cost each request a trip to the thread pool (measured in
BENCHMARKS.md, group commit and the ceiling)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError

from access.deps import (
    AnyRoleDep,
    AuditorDep,
    ClerkDep,
    NodeDep,
    ReaderDep,
    authenticated,
    cannot_do_this,
    get_node,
)
from access.principal import Principal
from api.errors import reader
from api.fact_bodies import IdempotencyKey
from domain.messages import Text
from domain.node_sync import NodeSync
from infrastructure.tokens import peer_direction
from service.node import Node

__all__ = [
    "AnyRoleDep",
    "AuditorDep",
    "ClerkDep",
    "NodeDep",
    "ReaderDep",
]
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


@dataclass(frozen=True)
class Recording:
    """What recording a clerk's fact needs of its request, solved as one dependency
    (each dependency FastAPI solves costs the event loop a few microseconds)."""

    node: Node
    actor: str
    """``token:<id>`` or ``user:<name>``: who records (``clerk_actor``)."""
    translate: Callable[[str], str]
    request_key: str | None


async def recording(
    request: Request,
    entry: Annotated[Principal, Depends(authenticated)],
    idempotency_key: IdempotencyKey = None,
) -> Recording:
    """The node, the clerk's actor (403 for other roles), the reader's language and
    the Idempotency-Key."""
    if entry.role != "clerk":
        raise HTTPException(403, cannot_do_this(entry, ("clerk",)))
    node = await get_node(request)
    return Recording(node, entry.actor, reader(request), idempotency_key)


async def get_sync(request: Request) -> NodeSync:
    """The node's sync service, built once at start-up."""
    sync = request.app.state.sync
    assert isinstance(sync, NodeSync)
    return sync


async def peer(entry: Annotated[Principal, Depends(authenticated)]) -> Principal:
    """A peer node's token; 403 for other roles."""
    if entry.role != "peer":
        raise HTTPException(
            403,
            Text("a {role} token cannot use the sync endpoints", role=entry.role),
        )
    return entry


async def clerk_actor(entry: ClerkDep) -> str:
    """The actor the facts a clerk records name, kept with each fact: ``token:<id>``
    for a bearer token (the id ``tierledger token list`` shows), ``user:<name>`` for a
    signed-in account."""
    return entry.actor


def peer_of(direction: str) -> Any:
    """A dependency admitting only the peer token of this node's parent ("parent":
    the feed, which carries personal data, goes only upward) or of a direct child
    ("child": it pushes, and reads its own cursor)."""

    async def check(
        entry: Annotated[Principal, Depends(peer)],
        sync: Annotated[NodeSync, Depends(get_sync)],
    ) -> Principal:
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
    entry: Annotated[Principal, Depends(authenticated)],
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


SyncDep = Annotated[NodeSync, Depends(get_sync)]
PeerDep = Annotated[Principal, Depends(peer)]
ParentPeerDep = Annotated[Principal, peer_of("parent")]
ChildPeerDep = Annotated[Principal, peer_of("child")]
ClerkActorDep = Annotated[str, Depends(clerk_actor)]
"""A clerk (token or signed-in account; 403 for other roles), as the actor of what
it records."""
AllowBrokenDep = Annotated[bool, Depends(allow_broken)]
TranslateDep = Annotated[Callable[[str], str], Depends(translation)]
RecordingDep = Annotated[Recording, Depends(recording)]

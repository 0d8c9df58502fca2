"""Sync endpoints: the feed a parent pulls, the ingest a child pushes to, the cursor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import AnyRoleDep, ChildPeerDep, ParentPeerDep, SyncDep
from api.json_body import LimitedRoute
from api.schemas import (
    MAX_POSITION,
    CursorPublic,
    FeedPagePublic,
    HeadPublic,
    HealthPublic,
    IngestBody,
    IngestPublic,
    WitnessPublic,
)
from domain.messages import Text
from domain.witness import Witness

router = APIRouter(tags=["sync"], route_class=LimitedRoute)


@router.get("/health")
def health(sync: SyncDep) -> HealthPublic:
    """Say that the node is up (no authentication)."""
    return HealthPublic(status="ok", node=sync.ledger.node.value)


@router.get("/head")
def head(sync: SyncDep, _: AnyRoleDep) -> HeadPublic:
    """Return the node's head (node, seq, hash)."""
    current = sync.ledger.head()
    return HeadPublic(node=current.node, seq=current.seq, hash=current.hash)


@router.get("/feed")
def feed(
    sync: SyncDep,
    _: ParentPeerDep,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> FeedPagePublic:
    """Return the node's facts and its descendants' after a feed position."""
    if sync.signer is not None:
        sync.checkpoint()  # a pull always ends on a signed head
    page = sync.feed(after, limit)
    return FeedPagePublic(
        node=page.node,
        facts=page.facts,
        position=page.position,
        head_seq=page.head_seq,
        head_hash=page.head_hash,
        signed_head=page.signed_head,
    )


@router.post("/ingest")
def ingest(body: IngestBody, sync: SyncDep, token: ChildPeerDep) -> IngestPublic:
    """Check and store facts pushed by a child; all or nothing."""
    if token.subject != body.source:
        raise HTTPException(403, _issued_to(token.subject, body.source))
    report = sync.ingest(
        body.source,
        body.facts,
        transport=body.transport,
        feed_position=body.feed_position,
        source_head=body.source_head,
        signed_head=body.signed_head,
    )
    witness = report.witness.as_dict() if report.witness else None
    return IngestPublic(
        source=report.source,
        new=report.new,
        duplicates=report.duplicates,
        feed_position=report.feed_position,
        behind=report.behind,
        witness=WitnessPublic.model_validate(witness) if witness else None,
    )


@router.post("/sync/witness", status_code=204)
def witness(body: WitnessPublic, sync: SyncDep, token: ParentPeerDep) -> None:
    """Keep the parent's signed receipt for the head it holds of this node."""
    if token.subject != body.parent:
        raise HTTPException(403, _issued_to(token.subject, body.parent))
    sync.keep_witness(Witness.parse(body.model_dump()))


@router.get("/sync/cursor")
def cursor(
    sync: SyncDep,
    token: ChildPeerDep,
    source: Annotated[str, Query(pattern=r"^[0-9]{4,12}$", examples=["330211001001"])],
) -> CursorPublic:
    """Return where this node's copy of the source's feed ends."""
    if token.subject != source:
        raise HTTPException(403, _issued_to(token.subject, source))
    return CursorPublic(source=source, feed_position=sync.cursor(source))


def _issued_to(subject: str | None, other: str) -> Text:
    return Text(
        "this token was issued to {subject}, not {other}", subject=subject, other=other
    )

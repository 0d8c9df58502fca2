"""Operator actions over HTTP: batch import, enrolment, checkpoints, forks, rebuild."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ClerkActorDep, ClerkDep, NodeDep, SyncDep, TranslateDep
from api.fact_bodies import FactBody, IdempotencyKey, ReceiptPublic, receipt_public
from api.json_body import LimitedRoute
from api.schemas import MAX_POSITION, CheckpointPublic, RebuildPublic, RefusedPublic
from domain.errors import BatchRejectedError

router = APIRouter(tags=["operations"], route_class=LimitedRoute)
MAX_BATCH = 5000


class ImportBody(BaseModel):
    """Facts to record in one transaction, as the lines of a JSONL import."""

    model_config = ConfigDict(extra="forbid")

    facts: Annotated[list[FactBody], Field(max_length=MAX_BATCH)]
    partial: bool = Field(
        default=False,
        description="Record the good facts, report the bad (else all or none).",
    )


class ImportPublic(BaseModel):
    """What an import recorded, and what it refused (with ``partial``)."""

    recorded: list[ReceiptPublic] = Field(description="A receipt per fact recorded.")
    refused: list[RefusedPublic] = Field(description="The facts not recorded.")


class EnrollBody(BaseModel):
    """A direct child's public key, as its genesis fact announced it."""

    model_config = ConfigDict(extra="forbid")

    child: str = Field(pattern=r"^[0-9]{6,12}$", examples=["330211001001"])
    public_key: str = Field(min_length=44, max_length=44)


class ResolveBody(BaseModel):
    """An operator's note closing a fork report."""

    model_config = ConfigDict(extra="forbid")

    origin: str = Field(pattern=r"^[0-9]{6,12}$")
    seq: int = Field(ge=1, le=MAX_POSITION)
    note: str = Field(min_length=1, max_length=500)


@router.post("/facts/import", status_code=201)
def import_facts(
    body: ImportBody,
    node: NodeDep,
    actor: ClerkActorDep,
    translate: TranslateDep,
    idempotency_key: IdempotencyKey = None,
) -> ImportPublic:
    """Record many facts at once (clerks): every fact checked first, and each must
    give its ``effective_on``; with ``partial`` false nothing is recorded if any is
    bad (422 lists them). Each fact names the token that recorded it."""
    items = [
        (n, (f.type, f.data.model_dump(exclude_unset=True)))
        for n, f in enumerate(body.facts, start=1)
    ]
    try:
        receipts, problems = node.record_many(
            items, actor=actor, partial=body.partial, request_key=idempotency_key
        )
    except BatchRejectedError as error:
        error.field = "facts"
        raise
    return ImportPublic(
        recorded=[receipt_public(r, translate) for r in receipts],
        refused=[
            RefusedPublic(
                index=n, code=e.code, detail=e.render(translate), field=e.field
            )
            for n, e in problems
        ],
    )


@router.post("/sync/children", status_code=201)
def enroll(body: EnrollBody, sync: SyncDep, actor: ClerkActorDep) -> ReceiptPublic:
    """Trust a direct child's public key (ChildEnrolled)."""
    receipt = sync.enroll(body.child, body.public_key, actor=actor)
    return ReceiptPublic(type=receipt.fact_type, seq=receipt.seq, hash=receipt.hash)


@router.post("/sync/checkpoint", status_code=201)
def checkpoint(sync: SyncDep, _: ClerkDep) -> CheckpointPublic:
    """Sign the node's head now (a Checkpoint fact)."""
    return CheckpointPublic(seq=sync.checkpoint(force=True))


@router.post("/sync/forks/resolve", status_code=201)
def resolve(body: ResolveBody, sync: SyncDep, actor: ClerkActorDep) -> ReceiptPublic:
    """Close a fork report; the held history stays, the offer stays refused."""
    receipt = sync.resolve_fork(body.origin, body.seq, body.note, actor=actor)
    return ReceiptPublic(type=receipt.fact_type, seq=receipt.seq, hash=receipt.hash)


@router.post("/views/rebuild")
def rebuild(node: NodeDep, _: ClerkDep) -> RebuildPublic:
    """Verify every chain held, then drop the node's views and build them again
    from every fact it holds (409 chain-broken, views unchanged, if one is broken)."""
    return RebuildPublic(positions=node.rebuild_views())

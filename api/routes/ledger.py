"""Recording facts and reading the node's own journal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response

from api.deps import AuditorDep, ClerkDep, NodeDep, SyncDep
from api.fact_bodies import (
    FactBody,
    IdempotencyKey,
    ReceiptPublic,
    openapi_examples,
    receipt_public,
)
from api.schemas import MAX_POSITION
from projections.documents import fact_document

router = APIRouter(tags=["facts"])


@router.post(
    "/facts",
    status_code=201,
    responses={200: {"model": ReceiptPublic, "description": "Already recorded"}},
)
def record_fact(
    body: Annotated[FactBody, Body(openapi_examples=openapi_examples())],
    node: NodeDep,
    _: ClerkDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ReceiptPublic:
    """Record one fact at this node (clerks): the same JSON as a line of an import.

    201 when recorded; 200 with ``already_recorded`` when the same fact is held
    already (nothing is recorded twice). 422 names the field that is wrong; 409 names
    the invariant a fact would break; nothing is recorded either way."""
    data = body.data.model_dump(exclude_unset=True)
    receipt = node.record(body.type, data, request_key=idempotency_key)
    if receipt.already_recorded:
        response.status_code = 200
    return receipt_public(receipt)


@router.get("/facts")
def log(
    sync: SyncDep,
    _: AuditorDep,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """This node's own facts after a seq, as documents (personal data masked)."""
    return [fact_document(f) for f in sync.ledger.facts(after=after, limit=limit)]

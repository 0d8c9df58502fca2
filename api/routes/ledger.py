"""Recording facts and reading the node's own journal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel, Field

from api.deps import AuditorDep, ClerkDep, NodeDep, RecordingDep
from api.fact_bodies import (
    FactBody,
    ReceiptPublic,
    openapi_examples,
    receipt_public,
)
from api.json_body import LimitedRoute
from api.schemas import MAX_POSITION
from domain.commands import date_given, parse_fields
from projections.documents import fact_document
from projections.models.facts import FactDocument

router = APIRouter(tags=["facts"], route_class=LimitedRoute)


@router.post(
    "/facts",
    status_code=201,
    response_model=ReceiptPublic,
    responses={200: {"model": ReceiptPublic, "description": "Already recorded"}},
)
async def record_fact(
    body: Annotated[FactBody, Body(openapi_examples=openapi_examples())],
    given: RecordingDep,
) -> Response:
    """Record one fact at this node (clerks): the same JSON as a line of an import.

    201 when recorded; 200 with ``already_recorded`` when the same fact is held
    already (nothing is recorded twice). The receipt states the fact's
    ``effective_on``; one not given is today's, flagged ``effective_on_defaulted``.
    The fact names the token that recorded it (``actor``: ``token:<id>``). 422
    names the field that is wrong; 409 names the invariant a fact would break;
    nothing is recorded either way."""
    data = body.data.model_dump(exclude_unset=True)
    receipt = await given.node.record_soon(
        body.type, data, actor=given.actor, request_key=given.request_key
    )
    status = 200 if receipt.already_recorded else 201
    answer = receipt_public(receipt, given.translate)
    # Built as the declared model: sent as is, not validated a second time.
    return Response(answer.model_dump_json(), status, media_type="application/json")


class FieldsChecked(BaseModel):
    """A fact whose fields are well-formed, as the ledger would store them."""

    type: str
    fields: dict[str, Any]
    effective_on_defaulted: bool = Field(
        default=False,
        description="No effective_on was given: fields hold today's (China), as "
        "POST /facts would record it; an import would refuse the fact.",
    )


@router.post("/facts/check")
async def check_fact(
    body: Annotated[FactBody, Body(openapi_examples=openapi_examples())],
    _: ClerkDep,
) -> FieldsChecked:
    """Check a fact's fields without recording anything (clerks): a form can show
    every wrong field before it is sent. 422 names the field; the journal's rules
    (duplicates, unknown organizations) are checked only when the fact is recorded."""
    data = body.data.model_dump(exclude_unset=True)
    fields = parse_fields(body.type, data)
    fields.pop("responsible_person", None)  # personal data is not echoed
    defaulted = not date_given(data)
    return FieldsChecked(
        type=body.type, fields=fields, effective_on_defaulted=defaulted
    )


@router.get("/facts")
def log(
    node: NodeDep,
    _: AuditorDep,
    after: Annotated[int, Query(ge=0, le=MAX_POSITION)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[FactDocument]:
    """This node's own facts after a seq, as documents (personal data masked)."""
    facts = node.ledger.facts(after=after, limit=limit)
    return [FactDocument.model_validate(fact_document(f)) for f in facts]

"""组织详情 and one fact: an organization's identity, history, grades, subsidies and
every fact from every tier; a fact's fields, hash and who recorded it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from access.deps import NodeDep, ReaderDep
from domain.codes import NodeCode
from domain.errors import InvalidNodeCodeError, UnknownOrganizationError
from domain.messages import Text
from domain.money import format_yuan
from domain.state import STATUS_WORDS
from domain.values import LegalForm
from infrastructure.i18n import translator
from projections.documents import fact_document
from projections.words import FACT_TYPES, NETWORK_FACTS, SCHEMES, TIERS
from service.export_registry import place_name
from web.fact_fields import field_rows
from web.layout import page
from web.standpoint import LONGEST, standpoint
from web.templating import page_locale

if TYPE_CHECKING:
    from collections.abc import Callable

router = APIRouter()
MAX_SEQ = 2**62
IDENTITY_TYPES = {"OrganizationFiled", "OrganizationRegistered", "OrganizationUpgraded",
                  "OrganizationDeregistered", "FactCorrected"}  # fmt: skip


@router.get("/web/registry/{org_id}")
def organization_page(
    request: Request, org_id: str, node: NodeDep, principal: ReaderDep
) -> HTMLResponse:
    """One organization at the standpoint, and what a clerk may do about it."""
    stand = standpoint(request, node)
    translate = translator(page_locale(request))
    found = learned = None
    if stand.point is not None:
        try:
            found = node.organization(org_id[: LONGEST * 3], stand.point)
        except UnknownOrganizationError as unknown:
            raise HTTPException(404, unknown.text) from None
        timeline = node.audit_timeline(found.org_id, stand.point)
        learned = {
            (v.origin, v.seq): v.learned_pos for v in timeline.in_knowledge_order
        }
    return page(
        request, "organization.html", principal, current="registry",
        standpoint=stand, org=found, learned=learned or {}, here=node.code.value,
        identity_types=IDENTITY_TYPES, yuan=format_yuan, place=place_name,
        word=_word(translate),
        status_word=lambda s: STATUS_WORDS[s].render(translate),
        form_word=lambda f: LegalForm(f).label if f else "",
    )  # fmt: skip


@router.get("/web/facts/{origin}/{seq}")
def fact_page(
    request: Request, origin: str, seq: int, node: NodeDep, principal: ReaderDep
) -> HTMLResponse:
    """One fact as held here: its fields (personal data masked), hash and actor."""
    try:
        code = NodeCode.parse(origin[:12])
    except InvalidNodeCodeError:
        code = None
    fact = (
        node.ledger.held_fact(code.value, seq) if code and 0 < seq < MAX_SEQ else None
    )
    if fact is None:
        raise HTTPException(404, Text("No fact {origin}#{seq} is held at this node.",
                                      origin=origin[:12], seq=seq))  # fmt: skip
    document: dict[str, Any] = fact_document(fact)
    translate = translator(page_locale(request))
    word = _word(translate)
    return page(
        request, "fact.html", principal, current="registry",
        fact=document, word=word,
        payload=field_rows(document["payload"], translate, word),
        org_id=document["payload"].get("org_id"), place=place_name,
        recorded=request.query_params.get("recorded") == "1",
    )  # fmt: skip


def _word(translate: Callable[[str], str]) -> Callable[[str], str]:
    """A fact type, tier or scheme as people call it."""

    def word(key: str) -> str:
        for words in (FACT_TYPES, NETWORK_FACTS, TIERS, SCHEMES):
            if key in words:
                return Text(words[key]).render(translate)
        return key

    return word

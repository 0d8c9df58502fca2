"""政策: the subsidy policies in force at a standpoint, with their bands."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from access.deps import NodeDep, ReaderDep
from domain.codes import known_divisions
from domain.messages import Text
from domain.money import format_yuan
from infrastructure.i18n import translator
from projections.words import SCHEMES, SOURCES
from web.layout import page
from web.standpoint import standpoint
from web.templating import page_locale

router = APIRouter()


@router.get("/web/policy")
def policy_page(request: Request, node: NodeDep, principal: ReaderDep) -> HTMLResponse:
    """Each adopting node's policy in force, and the ones it replaced."""
    stand = standpoint(request, node)
    adopted = node.policies(stand.point) if stand.point else {}
    divisions = known_divisions()
    translate = translator(page_locale(request))
    return page(
        request, "policy.html", principal, current="policy",
        standpoint=stand, adopted=adopted, yuan=format_yuan,
        names={o: divisions[o].name if o in divisions else "" for o in adopted},
        scheme_word=lambda key: Text(SCHEMES.get(key) or key).render(translate),
        source_word=lambda key: Text(SOURCES.get(key) or key).render(translate),
    )  # fmt: skip

"""审计: what changed between two standpoints, and one organization's timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from access.deps import AuditorDep, NodeDep
from domain.errors import LedgerError
from domain.messages import Text
from domain.money import format_yuan
from domain.values import LegalForm
from infrastructure.i18n import translator
from projections.span import Span
from projections.words import CLASSES, COUNTS, FACT_TYPES, SCHEMES, TIERS
from web.layout import page
from web.standpoint import LONGEST, standpoint
from web.templating import page_locale

if TYPE_CHECKING:
    from collections.abc import Callable

router = APIRouter()
SPAN_FIELDS = ("as_of_from", "as_of_to", "from", "to")
"""The diff's query values, named as the API names them."""
LEGAL_FORMS = {form.value for form in LegalForm}


@router.get("/web/audit/diff")
def diff_page(request: Request, node: NodeDep, principal: AuditorDep) -> HTMLResponse:
    """The roll-up's changes between two dates or instants, and the facts behind."""
    asked = {f: request.query_params.get(f, "").strip()[:LONGEST] for f in SPAN_FIELDS}
    translate = translator(page_locale(request))
    span = Span(
        as_of_from=asked["as_of_from"] or None, as_of_to=asked["as_of_to"] or None,
        known_from=asked["from"] or None, known_to=asked["to"] or None,
    )  # fmt: skip
    errors: dict[str, str] = {}
    found = None
    try:
        found = node.audit_diff(*node.span(span))
    except LedgerError as refused:
        name = refused.field if refused.field in SPAN_FIELDS else "as_of_from"
        errors[name] = refused.render(translate)
    return page(
        request, "audit_diff.html", principal, current="audit",
        status=400 if errors else 200, asked=asked, errors=errors, diff=found,
        words=_words(translate), yuan=format_yuan,
    )  # fmt: skip


@router.get("/web/audit/timeline/{org_id}")
def timeline_page(
    request: Request, org_id: str, node: NodeDep, principal: AuditorDep
) -> HTMLResponse:
    """Every fact about one organization: in force order, and as this node learned."""
    stand = standpoint(request, node)
    found = None
    if stand.point is not None:
        found = node.audit_timeline(org_id[: LONGEST * 3], stand.point)
    translate = translator(page_locale(request))
    return page(
        request, "audit_timeline.html", principal, current="audit",
        standpoint=stand, timeline=found, words=_words(translate),
    )  # fmt: skip


def _words(translate: Callable[[str], str]) -> Callable[[str], str]:
    """What a page calls a read model's key: a count, a tier, a fact type …"""

    def word(key: str) -> str:
        if key in LEGAL_FORMS:
            return LegalForm(key).label
        for words in (COUNTS, TIERS, FACT_TYPES, SCHEMES, CLASSES):
            if key in words:
                return Text(words[key]).render(translate)
        return key

    return word

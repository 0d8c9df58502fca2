"""组织库: search by name, filing number or credit code; facets in the address;
pages of 50; the same filters exported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from access.deps import NodeDep, ReaderDep
from domain.categories import shipped_categories
from domain.codes import known_divisions
from domain.errors import LedgerError
from domain.state import STATUS_WORDS
from domain.values import LegalForm
from infrastructure.i18n import translator
from service.export_registry import place_name
from web.layout import page
from web.standpoint import standpoint
from web.templating import page_locale

if TYPE_CHECKING:
    from collections.abc import Callable

    from projections.models.registry import RegistryPage
    from service.node import Node

router = APIRouter()
FACETS = ("q", "status", "legal_form", "street", "community", "category", "grade",
          "period")  # fmt: skip
PAGE = 50
LONGEST = 100


@dataclass(frozen=True)
class Choices:
    """What each facet offers: (value, label) pairs."""

    statuses: list[tuple[str, str]]
    forms: list[tuple[str, str]]
    streets: list[tuple[str, str]]
    communities: list[tuple[str, str]]
    categories: list[tuple[str, str]]


@router.get("/web/registry")
def registry(request: Request, node: NodeDep, principal: ReaderDep) -> HTMLResponse:
    """A page of the organizations the search and facets admit."""
    stand = standpoint(request, node)
    asked = {f: request.query_params.get(f, "").strip()[:LONGEST] for f in FACETS}
    offset = _offset(request.query_params.get("offset", "0"))
    translate = translator(page_locale(request))
    errors = dict(stand.errors)
    found: RegistryPage | None = None
    if stand.point is not None:
        try:
            only = node.registry_filter(
                text=asked["q"] or None, status=asked["status"] or None,
                legal_form=asked["legal_form"] or None,
                street=asked["street"] or None, community=asked["community"] or None,
                category=asked["category"] or None, grade=asked["grade"] or None,
                period=asked["period"] or None,
            )  # fmt: skip
            found = node.registry_page(stand.point, only, offset, PAGE)
        except LedgerError as refused:
            name = refused.field if refused.field in FACETS else "q"
            errors[name] = refused.render(translate)
    kept = {f: v for f, v in asked.items() if v}
    return page(
        request, "registry.html", principal, current="registry",
        status=400 if errors and not stand.errors else 200,
        standpoint=stand, asked=asked, kept=kept, errors=errors, found=found,
        choices=_choices(node, translate), place=place_name, page_size=PAGE,
        status_word=lambda s: STATUS_WORDS[s].render(translate),
        form_word=lambda f: LegalForm(f).label if f else "",
    )  # fmt: skip


def _offset(given: str) -> int:
    """A page's first row (a bad value: the first page)."""
    return int(given) if given.isdigit() and len(given) < 10 else 0


def _choices(node: Node, translate: Callable[[str], str]) -> Choices:
    """Each facet's values: the statuses, forms and categories, and the streets
    and communities below this node (by the shipped division data)."""
    code = node.code.value
    below = [(c, d.name) for c, d in sorted(known_divisions().items())
             if c.startswith(code) and c != code]  # fmt: skip
    return Choices(
        statuses=[(s, w.render(translate)) for s, w in STATUS_WORDS.items()],
        forms=[(f.value, f.label) for f in LegalForm],
        streets=[(c, name) for c, name in below if len(c) == 9],
        communities=[(c, name) for c, name in below if len(c) == 12],
        categories=[(c.name, c.name) for c in shipped_categories()],
    )

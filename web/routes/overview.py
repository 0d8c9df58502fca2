"""概览: the node's organizations, grades and money per child, with drill-down."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from access.deps import NodeDep, ReaderDep
from domain.codes import NodeCode
from domain.errors import InvalidNodeCodeError
from domain.messages import Text
from domain.money import FUNDING_SOURCES, format_yuan
from domain.values import LegalForm
from infrastructure.i18n import translator
from projections.words import CLASSES, COUNTS, SCHEMES, SOURCES
from service.export_registry import place_name
from web.layout import page
from web.standpoint import standpoint
from web.templating import page_locale

if TYPE_CHECKING:
    from collections.abc import Callable

    from projections.models.rollup import Rollup
    from projections.view import Point
    from service.node import Node

router = APIRouter()
FORMS = [form.value for form in LegalForm]


@router.get("/web/overview")
def overview(request: Request, node: NodeDep, principal: ReaderDep) -> HTMLResponse:
    """Counts, grades and money per child (or per community of ``child``)."""
    stand = standpoint(request, node)
    child = _child(node, request.query_params.get("child", ""))
    found = _rows(node, stand.point, child) if stand.point else None
    translate = translator(page_locale(request))
    return page(
        request, "overview.html", principal, current="overview",
        standpoint=stand, child=child, found=found, legal_forms=FORMS,
        child_name=place_name(child),
        form_label=lambda f: LegalForm(f).label, yuan=format_yuan,
        sources=FUNDING_SOURCES, word=_word(translate),
        upgrades=_upgrades_this_year(node, stand.point) if stand.point else 0,
        charts=_charts(found, _word(translate)) if found else {},
    )  # fmt: skip


def _child(node: Node, given: str) -> str | None:
    """A street of this district to drill into (nothing else drills)."""
    given = given.strip()[:12]
    if not given or node.code.tier != "district":
        return None
    try:
        code = NodeCode.parse(given)
    except InvalidNodeCodeError:
        return None
    return (
        code.value
        if code.tier == "street" and code.value.startswith(node.code.value)
        else None
    )


def _rows(node: Node, point: Point, child: str | None) -> Rollup:
    """The roll-up per child, or per community of one street."""
    if child is None:
        return node.rollup(point)
    found = node.rollup(point, communities=True)
    inside = [row for row in found.children if row.code.startswith(child)]
    return found.model_copy(update={"children": inside})


def _upgrades_this_year(node: Node, point: Point) -> int:
    """Filed organizations registered since the year of the point began."""
    return node.upgrades_since(point, f"{point.as_of[:4]}-01-01")


def _word(translate: Callable[[str], str]) -> Callable[[str], str]:
    def word(key: str) -> str:
        for words in (SOURCES, SCHEMES, CLASSES, COUNTS):
            if key in words:
                return Text(words[key]).render(translate)
        return key

    return word


def _charts(found: Rollup, word: Callable[[str], str]) -> dict[str, Any]:
    """The charts beside the tables: the same numbers."""
    rows = found.children
    grades: Counter[str] = Counter()
    for row in rows:
        for scheme, classes in row.grades.items():
            for grade, count in classes.items():
                grades[f"{word(scheme)}·{word(grade)}"] += count
    periods = found.totals.subsidies
    return {
        "organizations": {
            "labels": [row.name for row in rows],
            "series": [
                {"name": word("filed"),
                 "values": [r.organizations.filed for r in rows]},
                {"name": word("registered_total"),
                 "values": [r.organizations.registered_total for r in rows]},
            ],
        },
        "grades": {"labels": list(grades), "values": list(grades.values())},
        "money": {
            "labels": [p.period for p in periods],
            "series": [
                {"name": word(source),
                 "values": [p.by_source.get(source, 0) / 100 for p in periods]}
                for source in FUNDING_SOURCES
            ],
        },
    }  # fmt: skip

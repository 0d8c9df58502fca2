"""The home page: the node, who is signed in, its organizations by status."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from access.deps import NodeDep, ReaderDep
from domain.errors import ChainBrokenError
from domain.state import STATUS_WORDS
from infrastructure.i18n import translator
from web.layout import page, tier_word
from web.templating import page_locale

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.messages import Text
    from service.node import Node

router = APIRouter()


@router.get("/")
def home(request: Request, node: NodeDep, principal: ReaderDep) -> HTMLResponse:
    """The node, who is signed in, and its organizations by status today."""
    translate = translator(page_locale(request))
    statuses, unavailable = _statuses(node, translate)
    chart = {
        "kind": "bar",
        "labels": [label for label, _ in statuses or []],
        "values": [count for _, count in statuses or []],
    }
    return page(
        request, "home.html", principal,
        node_code=node.code.value, tier=tier_word(node.code),
        head_seq=node.ledger.head().seq, statuses=statuses,
        unavailable=unavailable, chart=chart,
    )  # fmt: skip


def _statuses(
    node: Node, translate: Callable[[str], str]
) -> tuple[list[tuple[str, int]] | None, Text | None]:
    """Organizations known today by status (in the page's words), or why not."""
    try:
        organizations = node.registry(node.point())
    except ChainBrokenError as broken:
        return None, broken.text
    counts = Counter(org.status for org in organizations)
    return [
        (STATUS_WORDS[status].render(translate), counts[status])
        for status in STATUS_WORDS
        if counts[status]
    ], None

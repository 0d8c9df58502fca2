"""What every page shows around its content: the node, the account, the sections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.codes import division_name
from domain.messages import Text
from web.templating import render

if TYPE_CHECKING:
    from fastapi import Request
    from fastapi.responses import HTMLResponse

    from access.principal import Principal
    from domain.codes import NodeCode

SECTIONS: tuple[tuple[str, Text], ...] = (
    ("overview", Text("Overview")),
    ("registry", Text("Organizations")),
    ("record", Text("Record a fact")),
    ("import", Text("Import")),
    ("reconcile", Text("Reconciliation")),
    ("audit", Text("Audit")),
    ("sync", Text("Sync")),
    ("policy", Text("Policy")),
)
"""The navigation bar: each section's path under /web/ and its name."""
ONLY_FOR = {"record": "clerk", "audit": "auditor"}
"""Sections one role alone may open (as the API's role rules say); the bar shows
each person only the sections they may open."""
ROLE_WORDS = {"clerk": Text("clerk"), "auditor": Text("auditor"), "peer": Text("peer")}
TIER_WORDS = {
    "city": Text("city centre"),
    "district": Text("district centre"),
    "street": Text("street centre"),
    "community": Text("community station"),
}


def role_word(role: str) -> Text:
    """A role as people call it."""
    return ROLE_WORDS[role]


def node_label(code: NodeCode) -> str:
    """A node as people know it: its division's name and its code."""
    name = division_name(code)
    return f"{name} {code.value}" if name else code.value


def tier_word(code: NodeCode) -> Text:
    """The kind of centre a node is."""
    return TIER_WORDS[code.tier]


def page(
    request: Request,
    template: str,
    principal: Principal | None,
    /,
    *,
    status: int = 200,
    current: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page in the site's frame, for ``principal`` (None: not signed in)."""
    node = getattr(request.app.state, "node", None)
    return render(
        request,
        template,
        status,
        principal=principal,
        node_label=node_label(node.code) if node else "",
        sections=[
            (slug, title)
            for slug, title in SECTIONS
            if principal is None or ONLY_FOR.get(slug, principal.role) == principal.role
        ],
        current=current,
        role_word=role_word,
        **context,
    )

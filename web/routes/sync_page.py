"""同步: the origins this node holds, their last contact and lag; forks to resolve."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from access.deps import ClerkDep, NodeDep, ReaderDep
from domain.codes import known_divisions
from domain.errors import LedgerError
from infrastructure.i18n import translator
from web.layout import page
from web.templating import page_locale

if TYPE_CHECKING:
    from access.principal import Principal
    from service.node import Node

router = APIRouter()
NOTE_LONGEST = 2000
"""Longer than any note the ledger keeps; the ledger gives the exact limit."""


@router.get("/web/sync")
def sync_page(request: Request, node: NodeDep, principal: ReaderDep) -> HTMLResponse:
    """Children and every origin held below: last contact, lag, open forks."""
    return _page(request, node, principal)


@router.post("/web/sync/resolve")
def resolve_fork(
    request: Request,
    node: NodeDep,
    principal: ClerkDep,
    origin: Annotated[str, Form(max_length=20)],
    seq: Annotated[int, Form(ge=1)],
    note: Annotated[str, Form(max_length=NOTE_LONGEST)] = "",
) -> Response:
    """Close a fork report with the clerk's note; the held history stays."""
    try:
        node.sync.resolve_fork(origin, seq, note, actor=principal.actor)
    except LedgerError as refused:
        message = refused.render(translator(page_locale(request)))
        error = {"origin": origin, "seq": seq, "note": note, "message": message}
        return _page(request, node, principal, error)
    return RedirectResponse("/web/sync?resolved=1", status_code=303)


def _page(
    request: Request,
    node: Node,
    principal: Principal,
    error: dict[str, object] | None = None,
) -> HTMLResponse:
    status, here = node.sync_status(), node.code.value
    divisions = known_divisions()
    names = {
        o.origin: divisions[o.origin].name if o.origin in divisions else ""
        for o in status.origins
    }
    names.update({f.origin: names.get(f.origin, "") for f in status.forks})
    return page(
        request, "sync.html", principal, current="sync",
        status=400 if error else 200,
        children=[o for o in status.origins if o.direct_child],
        below=[o for o in status.origins if not o.direct_child and o.origin != here],
        forks=status.forks, names=names, error=error,
        resolved=request.query_params.get("resolved") == "1",
    )  # fmt: skip

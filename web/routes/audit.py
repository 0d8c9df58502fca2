"""审计: every chain held and its verification, and the way to a diff or a timeline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from access.deps import AuditorDep, NodeDep
from domain.codes import known_divisions
from domain.errors import LedgerError
from domain.messages import Text
from infrastructure.i18n import translator
from web.layout import page
from web.templating import page_locale

if TYPE_CHECKING:
    from projections.models.audit import Verification
    from service.node import Node

router = APIRouter()
LONGEST_REF = 100
"""No organization id, filing number, credit code or name is longer."""


@router.get("/web/audit")
def audit_page(request: Request, node: NodeDep, principal: AuditorDep) -> HTMLResponse:
    """The chains this node holds, and forms for a diff and a timeline."""
    return _audit(request, node, principal, None, {})


@router.post("/web/audit/verify")
def verify_chains(
    request: Request, node: NodeDep, principal: AuditorDep
) -> HTMLResponse:
    """Recompute every chain and signature now; show what was found."""
    return _audit(request, node, principal, node.verify(), {})


@router.get("/web/audit/timeline")
def find_timeline(
    request: Request, node: NodeDep, principal: AuditorDep, org: str = ""
) -> Response:
    """Go to the timeline of the organization a filing number or code names."""
    ref = org.strip()[:LONGEST_REF]
    if not ref:
        error = Text("Enter an organization's filing number or credit code.")
    else:
        try:
            found = node.organization(ref, node.point())
        except LedgerError as refused:
            error = refused.text
        else:
            return RedirectResponse(f"/web/audit/timeline/{found.org_id}", 303)
    message = error.render(translator(page_locale(request)))
    return _audit(request, node, principal, None, {"org": message}, org=ref)


def _audit(
    request: Request,
    node: Node,
    principal: AuditorDep,
    verification: Verification | None,
    errors: dict[str, str],
    org: str = "",
) -> HTMLResponse:
    status = node.sync_status()
    names = {o.origin: _name(o.origin) for o in status.origins}
    return page(
        request, "audit.html", principal, current="audit",
        status=400 if errors else 200,
        origins=status.origins, names=names, verification=verification,
        errors=errors, org=org,
    )  # fmt: skip


def _name(origin: str) -> str:
    """An origin's division name, or nothing when the shipped data does not know it."""
    division = known_divisions().get(origin)
    return division.name if division else ""

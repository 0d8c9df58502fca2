"""对账: reconciliation findings by rule, with evidence links; pending apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from access.deps import NodeDep, ReaderDep
from infrastructure.i18n import CHINESE
from projections.rules_text import RULES
from web.layout import page
from web.standpoint import standpoint
from web.templating import page_locale

if TYPE_CHECKING:
    from projections.models.reconciliation import Finding, ReconciliationReport

router = APIRouter()


@dataclass(frozen=True)
class RuleGroup:
    """One rule's findings, in the page's language."""

    rule: str
    title: str
    severity: str
    findings: list[tuple[Finding, str]]
    """Each finding with its message in the page's language."""


@router.get("/web/reconcile")
def reconcile_page(
    request: Request, node: NodeDep, principal: ReaderDep
) -> HTMLResponse:
    """Findings now (errors and warnings) and pending ones, grouped by rule."""
    stand = standpoint(request, node)
    report = node.reconcile(stand.point) if stand.point else None
    chinese = page_locale(request) == CHINESE
    return page(
        request, "reconcile.html", principal, current="reconcile",
        standpoint=stand, report=report,
        now=_groups(report, chinese, pending=False),
        pending=_groups(report, chinese, pending=True),
    )  # fmt: skip


def _groups(
    report: ReconciliationReport | None, chinese: bool, *, pending: bool
) -> list[RuleGroup]:
    """The report's findings by rule, only the pending or only the others."""
    if report is None:
        return []
    groups = []
    for rule_id, rule in RULES.items():
        found = [
            (f, f.message_zh if chinese else f.message_en)
            for f in report.discrepancies
            if f.rule == rule_id and (f.status == "pending") == pending
        ]
        if found:
            title = rule.title_zh if chinese else rule.title_en
            groups.append(RuleGroup(rule_id, title, rule.severity, found))
    return groups

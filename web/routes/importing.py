"""导入: upload a register, see what importing it would do row by row, then confirm.

The preview and the import are the command line's (``service.sheet_import``,
``service.sheet_outcomes``): all or nothing, a re-import records nothing.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from access.deps import ClerkDep, NodeDep, ReaderDep, get_settings
from domain.errors import LedgerError
from domain.messages import Text
from infrastructure.i18n import translator
from infrastructure.spreadsheets.layout import column_letter
from infrastructure.spreadsheets.sniff import Format, sniff
from service import sheet_outcomes
from service.sheet_import import ImportOptions, Plan, plan_import
from service.sheet_outcomes import Status
from web.layout import page
from web.templating import page_locale
from web.uploads import Upload, Uploads

if TYPE_CHECKING:
    from collections.abc import Callable

    from access.principal import Principal
    from service.node import Node
    from service.sheet_outcomes import Outcome, Report

router = APIRouter()
STATUS_WORDS = {
    Status.RECORD: Text("would be recorded"),
    Status.HELD: Text("already held"),
    Status.CONFLICT: Text("conflict"),
    Status.ERROR: Text("error"),
}
CHOOSE = Text("Choose a spreadsheet to upload.")
EXPIRED = Text(
    "This upload has expired or was imported already: upload the file again."
)
JSON_LINES = Text(
    "JSON lines are imported with `tierledger import`; here, upload an Excel "
    "workbook or a CSV file."
)
SHOWN_ROWS = 500


@router.get("/web/import")
def import_page(request: Request, principal: ReaderDep) -> HTMLResponse:
    """The upload form (clerks), or what importing is (auditors)."""
    return page(request, "import.html", principal, current="import", errors={})


@router.post("/web/import", response_model=None)
async def upload(request: Request, node: NodeDep, principal: ClerkDep) -> Response:
    """Keep the uploaded register and show its dry run."""
    sent = (await request.form()).get("file")
    translate = translator(page_locale(request))
    if not isinstance(sent, UploadFile) or not sent.filename:
        await request.close()
        return _refused(request, principal, CHOOSE, translate)
    data, name = await sent.read(), sent.filename[:200]
    await request.close()  # the upload's temporary file: kept below, owner-only
    kept = _uploads(node).keep(data, principal.actor, name)
    try:
        plan, report = _dry_run(request, node, kept)
    except LedgerError as refused:
        _uploads(node).drop(kept)
        return _refused(request, principal, refused.text, translate)
    return page(
        request, "import_preview.html", principal, current="import",
        upload=kept, plan=plan, rows=_rows(report, plan, translate)[:SHOWN_ROWS],
        counts={s.value: report.counts[s] for s in Status}, refused=report.refused,
    )  # fmt: skip


@router.post("/web/import/confirm", response_model=None)
async def confirm(request: Request, node: NodeDep, principal: ClerkDep) -> Response:
    """Import the file the preview read: all of it, or nothing."""
    token = str((await request.form()).get("upload", ""))
    kept = _uploads(node).find(token, principal.actor)
    translate = translator(page_locale(request))
    if kept is None:
        return _refused(request, principal, EXPIRED, translate)
    head = node.ledger.head().seq
    try:
        options = _options(request, kept)
        plan = plan_import(node, kept.path, sniff(kept.path, options.limits), options)
        report = sheet_outcomes.record(
            node, plan.items, plan, actor=principal.actor,
            again=lambda: plan_import(node, kept.path, sniff(kept.path, options.limits),
                                      options).items,
        )  # fmt: skip
    except LedgerError as refused:
        return _refused(request, principal, refused.text, translate)
    if report.recorded:
        _uploads(node).drop(kept)
    return page(
        request, "import_done.html", principal, current="import",
        report=report, upload=kept, first=head + 1, last=node.ledger.head().seq,
        rows=_rows(report, plan, translate)[:SHOWN_ROWS],
        recorded=report.counts[Status.RECORD], held=report.counts[Status.HELD],
    )  # fmt: skip


def _uploads(node: Node) -> Uploads:
    return Uploads(node.store.node_dir(node.code) / "uploads")


def _options(request: Request, kept: Upload) -> ImportOptions:
    limits = get_settings(request).import_limits()
    return ImportOptions({}, {}, None, limits, PurePath(kept.filename).stem)


def _dry_run(request: Request, node: Node, kept: Upload) -> tuple[Plan, Report]:
    options = _options(request, kept)
    sniffed = sniff(kept.path, options.limits)
    if sniffed.format is Format.JSONL:
        raise LedgerError(JSON_LINES, field="file")
    plan = plan_import(node, kept.path, sniffed, options)
    return plan, sheet_outcomes.preview(node, plan.items, plan)


def _refused(
    request: Request,
    principal: Principal,
    message: Text,
    translate: Callable[[str], str],
) -> HTMLResponse:
    return page(
        request, "import.html", principal, current="import", status=400,
        errors={"file": message.render(translate)},
    )  # fmt: skip


def _rows(
    report: Report, plan: Plan, translate: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Each row that is not plainly recorded: where, what, why."""
    return [
        {"sheet": plan.place(o.number)[0].source.name, "row": o.row,
         "status": o.status.value, "word": STATUS_WORDS[o.status].render(translate),
         "detail": _detail(o, plan, translate)}
        for o in report.outcomes
        if o.status is not Status.RECORD or report.recorded is False
    ]  # fmt: skip


def _detail(outcome: Outcome, plan: Plan, translate: Callable[[str], str]) -> str:
    if outcome.status is Status.HELD:
        return Text("seq {seq}", seq=outcome.seq).render(translate)
    headers = {s.column: s.header for s in plan.place(outcome.number)[0].layout.slots}
    parts = []
    for problem in outcome.problems:
        message = problem.message.render(translate)
        if problem.column is not None:
            where = f"{column_letter(problem.column)} {headers.get(problem.column, '')}"
            message = f"{where.strip()}: {message}"
        parts.append(message)
    return "；".join(parts)

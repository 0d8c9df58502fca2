"""录入: the forms a clerk records facts with. A mistake comes back beside its field
with nothing recorded; a recorded fact answers with its receipt (the fact's page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from access.deps import ClerkDep, NodeDep
from domain.codes import known_divisions
from domain.errors import LedgerError, MissingFieldError
from domain.messages import Text
from domain.money import format_yuan
from infrastructure.i18n import translator
from web.layout import page
from web.record_forms import FORMS, Form, fact_data, field_of, shares_total
from web.templating import page_locale

if TYPE_CHECKING:
    from access.principal import Principal
    from service.node import Node

router = APIRouter()
LONGEST = 500
"""Characters kept of any one field (the ledger's own limits are lower)."""


@router.get("/web/record")
def record_index(request: Request, principal: ClerkDep) -> HTMLResponse:
    """The forms a clerk can fill."""
    return page(
        request, "record_index.html", principal, current="record", record_forms=FORMS
    )


@router.get("/web/record/{kind}")
def record_form(
    request: Request, kind: str, node: NodeDep, principal: ClerkDep
) -> HTMLResponse:
    """An empty form (``?org=`` and ``?fact=`` fill the organization and the seq)."""
    form = _form(kind)
    given = {
        f.name: request.query_params.get(f.name, "")[:LONGEST] for f in form.fields
    }
    given["org"] = request.query_params.get("org", "")[:LONGEST]
    fact = request.query_params.get("fact", "")[:20]
    for name in ("corrects_seq", "decision_seq"):
        given[name] = given.get(name) or fact
    return _page(request, node, principal, form, given, {})


@router.post("/web/record/{kind}", response_model=None)
async def record(
    request: Request, kind: str, node: NodeDep, principal: ClerkDep
) -> Response:
    """Record the filled form's fact, or show the form again with its errors."""
    form = _form(kind)
    sent = await request.form()
    given = {f.name: str(sent.get(f.name, ""))[:LONGEST] for f in form.fields}
    try:
        receipt = await node.record_soon(
            form.fact_type, fact_data(form, given), actor=principal.actor
        )
    except LedgerError as refused:
        translate = translator(page_locale(request))
        name = field_of(form, refused.field)
        message = _beside(form, name, refused).render(translate)
        return _page(request, node, principal, form, given, {name: message})
    return RedirectResponse(
        f"/web/facts/{node.code.value}/{receipt.seq}?recorded=1", status_code=303
    )


def _beside(form: Form, name: str, refused: LedgerError) -> Text:
    """The error as shown beside its box: the box named by its label, not by the
    key the ledger knows the value by (``responsible_person.name``)."""
    label = next(f.label for f in form.fields if f.name == name)
    if isinstance(refused, MissingFieldError):  # a blank box: say which to fill
        return Text("Enter the {label}.", label=label)
    if "field" in refused.text.values:
        return Text(refused.text.template, **{**refused.text.values, "field": label})
    return refused.text


def _form(kind: str) -> Form:
    if kind not in FORMS:
        raise HTTPException(404, Text("There is no form for {kind}.", kind=kind[:40]))
    return FORMS[kind]


def _page(
    request: Request,
    node: Node,
    principal: Principal,
    form: Form,
    given: dict[str, str],
    errors: dict[str, str],
) -> HTMLResponse:
    code = node.code.value
    communities = tuple(
        (c, d.name) for c, d in sorted(known_divisions().items())
        if len(c) == 12 and c.startswith(code)
    )  # fmt: skip
    bands = node.policies(node.point()) if form.money else {}
    return page(
        request, "record_form.html", principal, current="record",
        status=400 if errors else 200, form=form, given=given, errors=errors,
        communities=communities, bands=bands, yuan=format_yuan,
        shares_total=shares_total(given) if form.money else None,
    )  # fmt: skip

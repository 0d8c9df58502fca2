"""How facts, organizations and errors are shown to operators."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from cli.i18n import _, say
from cli.labels import grade_label, status_label
from domain.messages import N_, Text
from domain.money import format_yuan
from domain.values import LegalForm
from projections.documents import fact_document, mask_personal

if TYPE_CHECKING:
    from domain.facts import Fact
    from domain.state import OrgState

# Piped output keeps whole values: tables are not cut to a default 80 columns.
console = Console(
    highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200
)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout, Chinese kept as UTF-8."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False) + "\n")


FACT_COLUMNS = (
    N_("seq"), N_("type"), N_("effective_on"), N_("recorded_at"), N_("actor"),
    N_("summary"), N_("hash"),
)  # fmt: skip
"""A fact table's columns, English (translated where shown)."""

REGISTRY_COLUMNS = (
    N_("name"), N_("status"), N_("legal form"), N_("USCC / filing no."),
    N_("community"), N_("grades"),
)  # fmt: skip
"""A registry table's columns, English (translated where shown)."""


def facts_table(facts: list[Fact], title: str) -> Table:
    """A table of facts: seq, type, business date, recording instant, who recorded
    it, summary, hash."""
    table = Table(title=title, show_lines=False)
    for column in FACT_COLUMNS:
        table.add_column(_(column), no_wrap=column != "summary")
    for fact in facts:
        table.add_row(
            str(fact.seq),
            fact.fact_type,
            fact.effective_on,
            fact.recorded_at[:19] + "Z",
            fact.actor or "-",  # none: recorded before facts named their actor
            summarize(fact),
            fact.hash[:12] + "…",
        )
    return table


def summarize(fact: Fact) -> str:
    """A short human summary of a fact's payload."""
    p = mask_personal(fact.payload())
    if "amount_fen" in p:
        shares = ", ".join(f"{k} {format_yuan(v)}" for k, v in p["shares"].items())
        return (
            f"{p['program']} {p['period']}: ¥{format_yuan(p['amount_fen'])} ({shares})"
        )
    keys = (
        "name",
        "node_name",
        "filing_number",
        "uscc",
        "legal_form",
        "scheme",
        "grade",
        "outcome",
        "decision_seq",
        "corrects_seq",
        "reason",
        "replacement",
    )
    return " ".join(f"{k}={_short(p[k])}" for k in keys if p.get(k) not in (None, ""))


def _short(value: object) -> str:
    return (
        json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
    )


def org_document(
    org: OrgState, facts: list[Fact], *, personal: bool = False
) -> dict[str, Any]:
    """The JSON form of an organization with its facts."""
    state: dict[str, Any] = dict(org)
    state["facts"] = [fact_document(f, personal=personal) for f in facts]
    return state if personal else mask_personal(state)


def registry_table(orgs: list[OrgState], title: str) -> Table:
    """A table of organizations with status and current grades."""
    table = Table(title=title)
    for column in REGISTRY_COLUMNS:
        table.add_column(_(column))
    for org in orgs:
        grades = ", ".join(grade_label(s, g["grade"]) for s, g in org["grades"].items())
        ident = org["uscc"] or org["filing_number"] or ""
        status = status_label(org["status"])
        if org["filing_closed"]:
            status = say(Text("{status} (已转登记)", status=status))
        form = LegalForm(org["legal_form"]).label if org["legal_form"] else "-"
        table.add_row(
            org["name"], status, form, ident, org["community"] or "-", grades or "-"
        )
    return table


def error_line(code: str, message: str) -> None:
    """The one-line error every failing command prints."""
    err_console.print(f"error[{code}]: {message}", markup=False)

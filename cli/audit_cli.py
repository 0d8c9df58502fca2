"""`tierledger policy adopt`, `tierledger reconcile` and `tierledger audit ...`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from cli.choices import format_option
from cli.diff_output import print_diff
from cli.i18n import LOCALE, _, say
from cli.labels import label, status_label
from cli.nodes import cli_actor, open_node, reports_errors
from cli.output import console, err_console
from cli.record_cli import print_receipt
from cli.view_output import (
    model_rows,
    print_marks,
    print_model_json,
    rows_table,
    write_csv,
)
from cli.views_cli import AllowBroken
from domain.errors import InvalidFieldError
from domain.messages import N_, Text
from domain.policy import read_policy_file
from infrastructure.i18n import CHINESE
from projections.models.reconciliation import Finding, ReconciliationReport
from projections.span import Span

policy_app = typer.Typer(
    rich_markup_mode=None, help=_("Subsidy policies as facts."), no_args_is_help=True
)
audit_app = typer.Typer(
    rich_markup_mode=None, help=_("Auditors' questions."), no_args_is_help=True
)

NodeArg = Annotated[str, typer.Argument(help=_("This node's division code."))]
AsOf = Annotated[
    str | None, typer.Option(help=_("Business date: facts in force then (ISO)."))
]
KnownAt = Annotated[
    str | None,
    typer.Option(help=_("Instant: only facts the node had received by then.")),
]


@policy_app.command("adopt")
@reports_errors
def adopt(
    ctx: typer.Context,
    node: NodeArg,
    file: Annotated[Path, typer.Argument(help=_("The policy, as TOML."))],
) -> None:
    """Record PolicyAdopted from a TOML file: bands, caps and splits per program."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidFieldError(
            Text("cannot read {file}: {error}", file=file, error=error)
        ) from None
    with open_node(ctx, node) as opened:
        receipt = opened.record(
            "PolicyAdopted", read_policy_file(text), actor=cli_actor()
        )
    print_receipt(receipt)


@reports_errors
def reconcile(
    ctx: typer.Context,
    node: NodeArg,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    output: Annotated[str, format_option("table", "json", "csv", "md")] = "table",
    allow_broken: AllowBroken = False,
) -> None:
    """Check rules R1–R9 over everything this node holds; exit 1 on any error."""
    with open_node(ctx, node) as opened:
        point = opened.point(as_of, known_at, allow_broken=allow_broken)
        found = opened.reconcile(point)
    if output == "json":
        print_model_json(found, point)
    else:
        print_marks(point)
        _print_text(found, node, output)
    if found.errors:
        raise typer.Exit(1)


def _print_text(found: ReconciliationReport, node: str, output: str) -> None:
    if output == "csv":
        write_csv([_row(d, words=False) for d in found.discrepancies])
        return
    rows = [_row(d, words=True) for d in found.discrepancies]
    counts = {"errors": found.errors, "pending": found.pending}
    if output == "md":
        print(_markdown(found, rows))
        return
    title = say(Text("reconciliation of {node} as of {as_of}", node=node,
                     as_of=found.as_of))  # fmt: skip
    if rows:
        console.print(rows_table(rows, title))
    else:
        empty = Text("{title}: nothing to report", title=title)
        console.print(say(empty), markup=False)
    console.print(say(Text("{errors} error(s), {pending} pending", **counts)))


RECONCILE_COLUMNS = {
    "rule": N_("rule"),
    "status": N_("status"),
    "organization": N_("organization"),
    "message": N_("message"),
    "evidence": N_("evidence"),
}
"""A finding's columns: key → header (English: the key, as CSV has always had)."""

FINDING_STATUS = {"error": N_("error"), "warning": N_("warning"),
                  "pending": N_("pending")}  # fmt: skip
"""A finding's status as people read it (CSV keeps the key)."""


def _row(d: Finding, *, words: bool) -> dict[str, Any]:
    """A finding's cells; with ``words`` its status in the shell's language."""
    cells = {
        "rule": d.rule,
        "status": label(FINDING_STATUS, d.status) if words else d.status,
        "organization": d.org_name,
        "message": d.message_zh if LOCALE == CHINESE else d.message_en,
        "evidence": " ".join(f"{e.origin}#{e.seq}" for e in d.evidence),
    }
    return {_(RECONCILE_COLUMNS[key]): value for key, value in cells.items()}


def _markdown(found: ReconciliationReport, rows: list[dict[str, Any]]) -> str:
    heading = Text("# Reconciliation of {node} as of {as_of}", node=found.node,
                   as_of=found.as_of)  # fmt: skip
    counts = Text("{errors} error(s), {pending} pending.", errors=found.errors,
                  pending=found.pending)  # fmt: skip
    lines = [say(heading), "", say(counts), ""]
    if rows:
        lines += ["| " + " | ".join(rows[0]) + " |", "|---" * len(rows[0]) + "|"]
        lines += [
            "| " + " | ".join(str(v) for v in row.values()) + " |" for row in rows
        ]
    return "\n".join(lines)


@audit_app.command("verify")
@reports_errors
def audit_verify(ctx: typer.Context, node: NodeArg) -> None:
    """Every origin's chain and checkpoint signatures, a line per origin; what is
    found is recorded: the views refuse to answer over a broken chain until then."""
    with open_node(ctx, node) as opened:
        found = opened.verify()
        held = {o.origin: o for o in opened.sync_status().origins}
    rows = []
    for chain in found.origins:
        status = held.get(chain.origin)
        result = Text("ok")
        if not chain.ok:
            result = Text("TAMPERED at {problem}", problem=chain.problem_texts[0])
        rows.append({
            _("origin"): chain.origin,
            _("facts"): chain.facts,
            _("head seq"): chain.head_seq,
            _("signed to"): status.signed_seq if status else _("(own)"),
            _("result"): say(result),
        })  # fmt: skip
    title = Text("audit of every chain held at {node}", node=node)
    console.print(rows_table(rows, say(title)))
    for chain in found.origins:
        if not chain.ok:
            tampered = Text(
                "TAMPERED: node {origin}: {problem} ({count} problem(s))",
                origin=chain.origin,
                problem=chain.problem_texts[0],
                count=chain.problem_count,
            )
            err_console.print(say(tampered), markup=False)
    if not found.ok:
        raise typer.Exit(1)


@audit_app.command("diff")
@reports_errors
def audit_diff(
    ctx: typer.Context,
    node: NodeArg,
    since: Annotated[
        str | None, typer.Option("--from", help=_("Earlier knowledge instant."))
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", help=_("Later knowledge instant."))
    ] = None,
    as_of_from: Annotated[
        str | None, typer.Option(help=_("Earlier business date: in force then."))
    ] = None,
    as_of_to: Annotated[
        str | None, typer.Option(help=_("Later business date: in force then."))
    ] = None,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    output: Annotated[str, format_option("table", "json")] = "table",
    allow_broken: AllowBroken = False,
) -> None:
    """What changed in the roll-up between two business dates (--as-of-from,
    --as-of-to), two knowledge instants (--from, --to) or both, and the facts that
    did it: named nodes and organizations, money in yuan."""
    asked = Span(as_of, known_at, as_of_from, as_of_to, since, until)
    with open_node(ctx, node) as opened:
        before, after = opened.span(asked, allow_broken=allow_broken)
        found = opened.audit_diff(before, after)
    if output == "json":
        print_model_json(found, after)
        return
    print_marks(after)
    print_diff(found)


@audit_app.command("timeline")
@reports_errors
def audit_timeline(
    ctx: typer.Context,
    node: NodeArg,
    org: Annotated[str, typer.Argument(help=_("org_id, USCC or NODE:filing-number."))],
    as_of: AsOf = None,
    known_at: KnownAt = None,
    output: Annotated[str, format_option("table", "json")] = "table",
    allow_broken: AllowBroken = False,
) -> None:
    """Every fact about one organization from every tier, in both orders."""
    with open_node(ctx, node) as opened:
        point = opened.point(as_of, known_at, allow_broken=allow_broken)
        found = opened.audit_timeline(org, point)
    if output == "json":
        print_model_json(found, point)
        return
    print_marks(point)
    title = say(Text("{name} ({status})", name=found.name,
                     status=status_label(found.status)))  # fmt: skip
    in_force = Text("{title}: in force order", title=title)
    learned = Text("{title}: as learned", title=title)
    console.print(rows_table(model_rows(found.in_effective_order), say(in_force)))
    console.print(rows_table(model_rows(found.in_knowledge_order), say(learned)))

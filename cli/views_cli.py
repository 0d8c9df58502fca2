"""`tierledger view` and `tierledger rebuild`: a node's views, at any point."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from cli import find_cli
from cli.choices import format_option
from cli.i18n import _, say
from cli.importing import progress_bar
from cli.nodes import open_node, reports_errors
from cli.output import console
from cli.view_output import (
    model_rows,
    org_tables,
    print_marks,
    print_model_json,
    registry_rows,
    rollup_rows,
    rows_table,
    write_csv,
)
from domain.errors import InvalidFieldError
from domain.messages import Text
from projections.models.base import ReadModel
from projections.processor import STAGES

if TYPE_CHECKING:
    from projections.models.registry import OrganizationDetail
    from projections.models.rollup import Rollup
    from projections.view import Point

Found = TypeVar("Found", bound=ReadModel | Sequence[ReadModel])

WHAT = ("registry", "rollup", "org")
AllowBroken = find_cli.AllowBroken


@reports_errors
def view(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help=_("This node's division code."))],
    what: Annotated[str, typer.Argument(help=_("registry, rollup or org."))],
    org: Annotated[
        str | None,
        typer.Argument(help=_("For org: org_id, USCC, filing number or NODE:number.")),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help=_("Business date: facts in force then (ISO)."))
    ] = None,
    known_at: Annotated[
        str | None,
        typer.Option(help=_("Instant: only facts the node had received by then.")),
    ] = None,
    output: Annotated[str, format_option("table", "json", "csv")] = "table",
    communities: Annotated[
        bool, typer.Option(help=_("Roll up per community, not per child node."))
    ] = False,
    period: Annotated[
        str | None,
        typer.Option(
            help=_(
                "For rollup: only this period's money, e.g. 2024 (without it, "
                "money per period, never summed across periods). For registry: "
                "only organizations with a live subsidy for this period."
            )
        ),
    ] = None,
    allow_broken: AllowBroken = False,
    status: find_cli.Status = None,
    legal_form: find_cli.Form = None,
    street: find_cli.Street = None,
    community: find_cli.Community = None,
    category: find_cli.Category = None,
    grade: find_cli.Grade = None,
) -> None:
    """Show a view — the registry, the roll-up or one organization — at a point;
    the registry filtered as `find` filters."""
    if what not in WHAT or (what == "org") != (org is not None):
        raise InvalidFieldError(
            Text("say `view NODE registry`, `view NODE rollup` or `view NODE org ORG`")
        )
    find_cli.check_format(output)
    if period is not None and what not in ("rollup", "registry"):
        raise InvalidFieldError(
            Text("--period is for the roll-up and the registry"),
            field="period",
        )
    with open_node(ctx, node) as opened:
        only = find_cli.registry_filter(
            opened, status=status, legal_form=legal_form, street=street,
            community=community, category=category, grade=grade,
            period=period if what == "registry" else None,
        )  # fmt: skip
        if only is not None and what != "registry":
            raise InvalidFieldError(
                Text("filters (--status, --street …) apply to `view NODE registry` "
                     "only"),
            )  # fmt: skip
        point = opened.point(as_of, known_at, allow_broken=allow_broken)
        title = say(
            Text(
                "{name} {node} · as of {as_of}",
                name=opened.ledger.node_name(),
                node=node,
                as_of=point.as_of,
            )
        )
        if what == "registry":
            orgs = (
                opened.registry(point)
                if only is None
                else opened.registry_page(point, only, 0, None).items
            )
            _show(orgs, registry_rows, output, title, point)
        elif what == "rollup":
            found = opened.rollup(point, communities=communities, period=period)
            _show(found, rollup_rows, output, _rollup_title(found, title), point)
        else:
            assert org is not None
            _show_org(opened.organization(org, point), output, point)


def _rollup_title(found: Rollup, title: str) -> str:
    """The view's title, naming the one period asked for."""
    if found.period is None:
        return title
    return say(Text("{title} · period {period}", title=title, period=found.period))


def _show(
    found: Found,
    rows: Callable[[Found, bool], list[dict[str, Any]]],
    output: str,
    title: str,
    point: Point,
) -> None:
    if output == "json":
        print_model_json(found, point)
        return
    print_marks(point)
    if output == "csv":
        write_csv(rows(found, False))  # data: values as stored, for programs
    else:
        console.print(rows_table(rows(found, True), title))


def _show_org(org: OrganizationDetail, output: str, point: Point) -> None:
    if output == "json":
        print_model_json(org, point)
        return
    print_marks(point)
    if output == "csv":
        write_csv(model_rows(org.timeline))
    else:
        for table in org_tables(org):
            console.print(table)


@reports_errors
def rebuild(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help=_("This node's division code."))],
) -> None:
    """Verify every chain held, then drop a node's views and build them again from
    every fact it holds; refuses (exit 4), leaving the views, if a chain is broken."""
    with (
        open_node(ctx, node) as opened,
        progress_bar(
            STAGES, "rebuilding views", enabled=console.is_terminal, minimum=0
        ) as bar,
    ):
        task = bar.add_task("rebuild", total=STAGES)
        last = opened.rebuild_views(lambda done: bar.update(task, completed=done))
        held = len(opened.registry(opened.point()))
    rebuilt = Text(
        "rebuilt the views of {node} from {last} positions: {held} organizations",
        node=node,
        last=last,
        held=held,
    )
    console.print(say(rebuilt), markup=False)

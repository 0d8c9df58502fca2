"""`tierledger view` and `tierledger rebuild`: a node's views, at any point."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.importing import progress_bar
from cli.nodes import open_node, reports_errors
from cli.output import console
from cli.view_output import (
    org_tables,
    print_marked_json,
    print_marks,
    registry_rows,
    rollup_rows,
    rows_table,
    write_csv,
)
from domain.errors import InvalidFieldError
from projections.processor import STAGES

if TYPE_CHECKING:
    from collections.abc import Iterator

    from domain.node_sync import NodeSync
    from projections.node_views import NodeViews
    from projections.view import Point

WHAT = ("registry", "rollup", "org")
AllowBroken = Annotated[
    bool,
    typer.Option(
        "--allow-broken",
        help="Answer even over a chain recorded broken, every output marked so.",
    ),
]


@contextlib.contextmanager
def open_views(ctx: typer.Context, node: str) -> Iterator[NodeViews]:
    """A node's views for the length of one command."""
    with open_node(ctx, node) as opened:
        yield opened.views


@contextlib.contextmanager
def open_verifiable(
    ctx: typer.Context, node: str
) -> Iterator[tuple[NodeSync, NodeViews]]:
    """A node's sync service, to verify every chain, and its views, to record what
    was found, for the length of one command."""
    with open_node(ctx, node) as opened:
        yield opened.sync, opened.views


@reports_errors
def view(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help="This node's division code.")],
    what: Annotated[str, typer.Argument(help="registry, rollup or org.")],
    org: Annotated[
        str | None,
        typer.Argument(help="For org: org_id, USCC, filing number or NODE:number."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Business date: facts in force then (ISO).")
    ] = None,
    known_at: Annotated[
        str | None,
        typer.Option(help="Instant: only facts the node had received by then."),
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table, json or csv.")] = (
        "table"
    ),
    communities: Annotated[
        bool, typer.Option(help="Roll up per community, not per child node.")
    ] = False,
    allow_broken: AllowBroken = False,
) -> None:
    """Show a view — the registry, the roll-up or one organization — at a point."""
    if what not in WHAT or (what == "org") != (org is not None):
        raise InvalidFieldError(
            "say `view NODE registry`, `view NODE rollup` or `view NODE org ORG`"
        )
    if output not in ("table", "json", "csv"):
        raise InvalidFieldError("--format is table, json or csv")
    with open_views(ctx, node) as views:
        point = views.point(as_of, known_at, allow_broken=allow_broken)
        title = f"{views.ledger.node_name()} {node} · as of {point.as_of}"
        if what == "registry":
            _show(views.registry(point), registry_rows, output, title, point)
        elif what == "rollup":
            found = views.rollup(point, communities=communities)
            _show(found, rollup_rows, output, title, point)
        else:
            assert org is not None
            _show_org(views.organization(org, point), output, point)


def _show(data: Any, rows: Any, output: str, title: str, point: Point) -> None:
    if output == "json":
        print_marked_json(data, point)
        return
    print_marks(point)
    if output == "csv":
        write_csv(rows(data))
    else:
        console.print(rows_table(rows(data), title))


def _show_org(org: dict[str, Any], output: str, point: Point) -> None:
    if output == "json":
        print_marked_json(org, point)
        return
    print_marks(point)
    if output == "csv":
        write_csv(org["timeline"])
    else:
        for table in org_tables(org):
            console.print(table)


@reports_errors
def rebuild(
    ctx: typer.Context,
    node: Annotated[str, typer.Argument(help="This node's division code.")],
) -> None:
    """Verify every chain held, then drop a node's views and build them again from
    every fact it holds; refuses (exit 4), leaving the views, if a chain is broken."""
    with (
        open_verifiable(ctx, node) as (sync, views),
        progress_bar(
            STAGES, "rebuilding views", enabled=console.is_terminal, minimum=0
        ) as bar,
    ):
        task = bar.add_task("rebuild", total=STAGES)
        last = views.rebuild(
            sync.verify_all, lambda done: bar.update(task, completed=done)
        )
        held = len(views.registry(views.point()))
    console.print(
        f"rebuilt the views of {node} from {last} positions: {held} organizations"
    )

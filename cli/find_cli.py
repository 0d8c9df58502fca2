"""`tierledger find`: organizations by any part of their name, filing number or USCC,
and the filters `find` and `view NODE registry` share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.choices import format_option
from cli.i18n import _
from cli.nodes import NodeArg, open_node, reports_errors
from cli.output import console
from cli.view_output import (
    print_marks,
    print_model_json,
    registry_rows,
    rows_table,
    write_csv,
)
from domain.errors import InvalidFieldError
from domain.messages import Text

if TYPE_CHECKING:
    from projections.search import RegistryFilter
    from service.node import Node

Status = Annotated[
    str | None,
    typer.Option(help=_("Only this status: filed, registered, deregistered, revoked.")),
]
Form = Annotated[
    str | None,
    typer.Option(
        "--legal-form",
        help=_("Only this legal form: social_group, social_service_institution, "
               "foundation (or 社会团体, 社会服务机构, 基金会)."),
    ),
]  # fmt: skip
Street = Annotated[
    str | None, typer.Option(help=_("Only organizations in this street (9 digits)."))
]
Community = Annotated[
    str | None,
    typer.Option(help=_("Only organizations in this community (12 digits).")),
]
Category = Annotated[
    str | None, typer.Option(help=_("Only this category, e.g. 文体活动."))
]
Grade = Annotated[
    str | None,
    typer.Option(
        help=_("Only organizations whose latest grade is this, e.g. 一类, 4A.")
    ),
]
Period = Annotated[
    str | None,
    typer.Option(help=_("Only organizations with a live subsidy for this period.")),
]
AsOf = Annotated[
    str | None, typer.Option(help=_("Business date: facts in force then (ISO)."))
]
KnownAt = Annotated[
    str | None,
    typer.Option(help=_("Instant: only facts the node had received by then.")),
]
Output = Annotated[str, format_option("table", "json", "csv")]
AllowBroken = Annotated[
    bool,
    typer.Option(
        "--allow-broken",
        help=_("Answer even over a chain recorded broken, every output marked so."),
    ),
]
FORMATS = ("table", "json", "csv")
HELP = _(
    "Find the organizations whose name, filing number or USCC holds TEXT (any "
    "part of it, full- or half-width), across every organization this node holds, "
    "at a point."
)


def check_format(output: str) -> None:
    """Refuse an output format other than table, json and csv."""
    if output not in FORMATS:
        raise InvalidFieldError(
            Text("--format is table, json or csv, not {given}", given=output),
            field="format",
        )


@reports_errors
def find(
    ctx: typer.Context,
    node: NodeArg,
    text: Annotated[
        str,
        typer.Argument(help=_("Text anywhere in a name, filing number or USCC.")),
    ],
    status: Status = None,
    legal_form: Form = None,
    street: Street = None,
    community: Community = None,
    category: Category = None,
    grade: Grade = None,
    period: Period = None,
    as_of: AsOf = None,
    known_at: KnownAt = None,
    output: Output = "table",
    limit: Annotated[
        int, typer.Option(min=1, help=_("Show at most this many (by name)."))
    ] = 100,
    offset: Annotated[
        int, typer.Option(min=0, help=_("Skip this many matches first."))
    ] = 0,
    allow_broken: AllowBroken = False,
) -> None:
    """Find the organizations whose name, filing number or USCC holds TEXT, across
    every organization this node holds, at a point."""
    check_format(output)
    with open_node(ctx, node) as opened:
        only = opened.registry_filter(
            text=text, status=status, legal_form=legal_form, street=street,
            community=community, category=category, grade=grade, period=period,
            text_field="TEXT",
        )  # fmt: skip
        point = opened.point(as_of, known_at, allow_broken=allow_broken)
        found = opened.registry_page(point, only, offset, limit)
        name = opened.ledger.node_name()
    if output == "json":
        print_model_json(found, point)
        return
    print_marks(point)
    if output == "csv":
        write_csv(registry_rows(found.items))
        return
    title = _("{name} {node} · as of {date} · {total} found").format(
        name=name, node=node, date=point.as_of, total=found.total
    )
    console.print(rows_table(registry_rows(found.items, True), title))
    if found.total > offset + len(found.items):
        more = _("{first}–{last} of {total} shown: --offset {next} for the next ones")
        console.print(
            more.format(
                first=offset + 1,
                last=offset + len(found.items),
                total=found.total,
                next=offset + len(found.items),
            )
        )


def registry_filter(
    opened: Node,
    *,
    status: str | None,
    legal_form: str | None,
    street: str | None,
    community: str | None,
    category: str | None,
    grade: str | None,
    period: str | None,
) -> RegistryFilter | None:
    """The filter of `view NODE registry` (None if no filter was asked for)."""
    given = (status, legal_form, street, community, category, grade, period)
    if all(value is None for value in given):
        return None
    return opened.registry_filter(
        status=status, legal_form=legal_form, street=street, community=community,
        category=category, grade=grade, period=period,
    )  # fmt: skip

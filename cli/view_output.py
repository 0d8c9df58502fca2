"""Views as rows: for tables (Chinese aligned by rich) and for CSV."""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table

from cli.i18n import _, say
from cli.labels import (
    class_label,
    grade_label,
    label,
    scheme_label,
    status_label,
)
from cli.output import console, print_json
from domain.messages import N_, Text
from domain.money import FUNDING_SOURCES, format_yuan
from domain.values import LegalForm
from projections.models.base import ReadModel, marks
from projections.words import SOURCES

if TYPE_CHECKING:
    from projections.models.registry import Organization, OrganizationDetail
    from projections.models.rollup import (
        PeriodTotal,
        Rollup,
        RollupChild,
        SubsidyLine,
    )
    from projections.view import Point


def registry_rows(
    orgs: Sequence[Organization], words: bool = False
) -> list[dict[str, Any]]:
    """One row per organization; with ``words`` (a table, not CSV data) its status
    and grades as people read them in the shell's language."""
    return [
        {
            _("name"): org.name,
            _("status"): status_label(org.status) if words else org.status,
            _("legal form"): LegalForm(org.legal_form).label if org.legal_form else "",
            _("USCC / filing no."): org.uscc or org.filing_number or "",
            _("home"): org.home,
            _("grades"): ", ".join(
                _grade(scheme, g.grade, g.expired, words)
                for scheme, g in sorted(org.grades.items())
            ),
            _("subsidies (yuan)"): format_yuan(org.subsidies.total_fen),
            "org_id": org.org_id,
        }
        for org in orgs
    ]


def _grade(scheme: str, grade: str, expired: bool, words: bool) -> str:
    """A current grade: words for people, or the data as CSV has always had it."""
    if words:
        return grade_label(scheme, grade, expired=expired)
    return f"{scheme}:{grade}{' (过期)' if expired else ''}"


def rollup_rows(rollup: Rollup, words: bool = False) -> list[dict[str, Any]]:
    """One row per child node, then the total: organizations, grade classes, and
    money in yuan per period (with one period asked for: per funding source too)."""
    schemes = sorted({s for c in rollup.children for s in c.grades})
    classes = [
        (scheme, kind)
        for scheme in schemes
        for kind in sorted(
            {k for c in rollup.children for k in c.grades.get(scheme, {})}
        )
    ]
    periods = [rollup.period] if rollup.period else rollup.periods
    sources = _sources(rollup) if rollup.period else []
    rows = []
    for child in [*rollup.children, None]:
        counted = [child] if child else rollup.children
        row = _org_cells(child, rollup)
        for scheme, kind in classes:
            row[grade_label(scheme, class_label(kind))] = sum(
                c.grades.get(scheme, {}).get(kind, 0) for c in counted
            )
        money = _money(child.subsidies if child else rollup.totals.subsidies)
        row |= _money_cells(money, periods, sources)
        rows.append(row)
    return rows


def _org_cells(child: RollupChild | None, rollup: Rollup) -> dict[str, Any]:
    """A row's node (None: the total) and its organizations."""
    orgs = child.organizations if child else rollup.totals.organizations
    return {
        _("code"): child.code if child else "",
        _("name"): child.name if child else _("total"),
        _("filed"): orgs.filed,
        **{LegalForm(f).label: n for f, n in orgs.registered.items()
           if f in LegalForm.__members__.values()},
        _("upgrades"): orgs.upgrades,
        _("closed"): orgs.deregistered + orgs.revoked,
    }  # fmt: skip


def _money_cells(
    money: dict[str, tuple[int, int, dict[str, int]]],
    periods: list[str],
    sources: list[str],
) -> dict[str, Any]:
    """Per period: decisions and yuan (and yuan per funding source in ``sources``)."""
    cells: dict[str, Any] = {}
    for period in periods:
        count, fen, by_source = money.get(period, (0, 0, {}))
        cells[say(Text("{period} decisions", period=period))] = count
        cells[say(Text("{period} (yuan)", period=period))] = format_yuan(fen)
        for source in sources:
            header = Text("{period} {source} (yuan)", period=period,
                          source=label(SOURCES, source))  # fmt: skip
            cells[say(header)] = format_yuan(by_source.get(source, 0))
    return cells


def _sources(rollup: Rollup) -> list[str]:
    """The funding sources paying a share of the total, in "1+3+X" order."""
    paying = {
        s for t in rollup.totals.subsidies for s, fen in t.by_source.items() if fen
    }
    return [source for source in FUNDING_SOURCES if source in paying]


def _money(
    lines: Sequence[SubsidyLine | PeriodTotal],
) -> dict[str, tuple[int, int, dict[str, int]]]:
    """Per period: decisions, fen, and fen per funding source (programs and
    deciding tiers together, periods never)."""
    found: dict[str, tuple[int, int, dict[str, int]]] = {}
    for line in lines:
        count, fen, by_source = found.get(line.period, (0, 0, {}))
        sources = {s: by_source.get(s, 0) + line.by_source.get(s, 0)
                   for s in {*by_source, *line.by_source}}  # fmt: skip
        found[line.period] = (count + line.count, fen + line.total_fen, sources)
    return found


def model_rows(models: Sequence[ReadModel]) -> list[dict[str, Any]]:
    """One row per read model, its fields as columns."""
    return [model.model_dump(mode="json") for model in models]


def rows_table(rows: list[dict[str, Any]], title: str) -> Table:
    """A rich table of rows (columns from the first row)."""
    table = Table(title=title)
    for column in rows[0] if rows else ["(nothing)"]:
        table.add_column(column, justify="right" if _numeric(rows, column) else "left")
    for row in rows:
        table.add_row(*(str(value) for value in row.values()))
    return table


def _numeric(rows: list[dict[str, Any]], column: str) -> bool:
    """Counts and yuan amounts align right."""
    return all(
        isinstance(value := row.get(column), int)
        or (isinstance(value, str) and _YUAN.fullmatch(value) is not None)
        for row in rows
    )


_YUAN = re.compile(r"-?[0-9]+\.[0-9]{2}")


ORG_FIELDS = {
    "org_id": N_("org_id"),
    "uscc": N_("uscc"),
    "filing_number": N_("filing_number"),
    "filing_node": N_("filing_node"),
    "home": N_("home"),
    "filed_on": N_("filed_on"),
    "registered_on": N_("registered_on"),
    "upgraded_on": N_("upgraded_on"),
    "closed_on": N_("closed_on"),
}
"""An organization's state as its table shows it: field → label (English: the
field's name)."""


def org_tables(org: OrganizationDetail) -> list[Table]:
    """An organization's state and its timeline across origins."""
    title = Text("{name} ({status})", name=org.name, status=status_label(org.status))
    state = Table(title=say(title), show_header=False)
    for key, key_label in ORG_FIELDS.items():
        if value := getattr(org, key):
            state.add_row(_(key_label), str(value))
    for scheme, grade in sorted(org.grades.items()):
        which = Text("grade {scheme}", scheme=scheme_label(scheme))
        graded = (
            Text("{grade} (过期) by {by}", grade=grade.grade, by=grade.by)
            if grade.expired
            else Text("{grade} by {by}", grade=grade.grade, by=grade.by)
        )
        state.add_row(say(which), say(graded))
    timeline = rows_table(model_rows(org.timeline), _("timeline, in force order"))
    return [state, timeline]


def write_csv(rows: list[dict[str, Any]]) -> None:
    """Rows as CSV with a header, UTF-8, on stdout."""
    if not rows:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def print_marks(point: Point) -> None:
    """An answer forced over broken chains starts with a red line per break (every
    text form: table, CSV, Markdown)."""
    for brk in point.broken:
        console.print(brk.line(_), style="bold red", markup=False)


def print_model_json(found: ReadModel | Sequence[ReadModel], point: Point) -> None:
    """A read model as JSON (a marked one leads with ``chain_broken``); a list
    forced over broken chains is wrapped as ``items`` under its marks, so no reader
    takes it unmarked."""
    if isinstance(found, ReadModel):
        print_json(found.model_dump(mode="json"))
        return
    items = model_rows(found)
    breaks = marks(point)
    if breaks is None:
        print_json(items)
        return
    print_json({"chain_broken": model_rows(breaks), "items": items})

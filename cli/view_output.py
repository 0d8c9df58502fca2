"""Views as rows: for tables (Chinese aligned by rich) and for CSV."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.table import Table

from cli.i18n import _
from cli.output import console, print_json
from domain.money import format_yuan
from domain.values import LegalForm
from projections.models.base import ReadModel, marks

if TYPE_CHECKING:
    from projections.models.registry import Organization, OrganizationDetail
    from projections.models.rollup import Rollup
    from projections.view import Point


def registry_rows(orgs: Sequence[Organization]) -> list[dict[str, Any]]:
    """One row per organization."""
    return [
        {
            _("name"): org.name,
            _("status"): org.status,
            _("legal form"): LegalForm(org.legal_form).label if org.legal_form else "",
            _("USCC / filing no."): org.uscc or org.filing_number or "",
            _("home"): org.home,
            _("grades"): ", ".join(
                f"{scheme}:{g.grade}{' (过期)' if g.expired else ''}"
                for scheme, g in sorted(org.grades.items())
            ),
            _("subsidies (yuan)"): format_yuan(org.subsidies.total_fen),
            "org_id": org.org_id,
        }
        for org in orgs
    ]


def rollup_rows(rollup: Rollup) -> list[dict[str, Any]]:
    """One row per child node: organizations, grade classes, money."""
    schemes = sorted({s for c in rollup.children for s in c.grades})
    classes = {
        scheme: sorted({k for c in rollup.children for k in c.grades.get(scheme, {})})
        for scheme in schemes
    }
    rows = []
    for child in rollup.children:
        orgs = child.organizations
        row: dict[str, Any] = {
            "code": child.code,
            "name": child.name,
            "filed": orgs.filed,
            **{LegalForm(f).label: n for f, n in orgs.registered.items()
               if f in LegalForm.__members__.values()},
            "upgrades": orgs.upgrades,
            "closed": orgs.deregistered + orgs.revoked,
        }  # fmt: skip
        for scheme in schemes:
            for kind in classes[scheme]:
                row[f"{scheme}:{kind}"] = child.grades.get(scheme, {}).get(kind, 0)
        row["subsidies"] = sum(s.count for s in child.subsidies)
        row["subsidies (yuan)"] = format_yuan(sum(s.total_fen for s in child.subsidies))
        rows.append(row)
    return rows


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
    return all(isinstance(row.get(column), int) for row in rows)


def org_tables(org: OrganizationDetail) -> list[Table]:
    """An organization's state and its timeline across origins."""
    state = Table(title=f"{org.name} ({org.status})", show_header=False)
    for key in ("org_id", "uscc", "filing_number", "filing_node", "home", "filed_on",
                "registered_on", "upgraded_on", "closed_on"):  # fmt: skip
        if value := getattr(org, key):
            state.add_row(key, str(value))
    for scheme, grade in sorted(org.grades.items()):
        expired = " (过期)" if grade.expired else ""
        state.add_row(f"grade {scheme}", f"{grade.grade}{expired} by {grade.by}")
    timeline = rows_table(model_rows(org.timeline), "timeline, in force order")
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
        console.print(brk.line(), style="bold red", markup=False)


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

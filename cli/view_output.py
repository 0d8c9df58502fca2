"""Views as rows: for tables (Chinese aligned by rich) and for CSV."""

from __future__ import annotations

import csv
import sys
from typing import TYPE_CHECKING, Any

from rich.table import Table

from cli.output import console, print_json
from domain.money import format_yuan
from domain.values import LegalForm
from projections.chain_status import marked

if TYPE_CHECKING:
    from projections.view import Point


def registry_rows(orgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per organization."""
    return [
        {
            "name": org["name"],
            "status": org["status"],
            "legal form": LegalForm(org["legal_form"]).label
            if org["legal_form"]
            else "",
            "USCC / filing no.": org["uscc"] or org["filing_number"] or "",
            "home": org["home"],
            "grades": ", ".join(
                f"{scheme}:{g['grade']}{' (过期)' if g['expired'] else ''}"
                for scheme, g in sorted(org["grades"].items())
            ),
            "subsidies (yuan)": format_yuan(org["subsidies"]["total_fen"]),
            "org_id": org["org_id"],
        }
        for org in orgs
    ]


def rollup_rows(rollup: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per child node: organizations, grade classes, money; then totals."""
    schemes = sorted({s for c in rollup["children"] for s in c["grades"]})
    classes = {
        scheme: sorted(
            {k for c in rollup["children"] for k in c["grades"].get(scheme, {})}
        )
        for scheme in schemes
    }
    rows = []
    for child in rollup["children"]:
        orgs = child["organizations"]
        row: dict[str, Any] = {
            "code": child["code"],
            "name": child["name"],
            "filed": orgs["filed"],
            **{LegalForm(f).label: n for f, n in orgs["registered"].items()
               if f in LegalForm.__members__.values()},
            "upgrades": orgs["upgrades"],
            "closed": orgs["deregistered"] + orgs["revoked"],
        }  # fmt: skip
        for scheme in schemes:
            for kind in classes[scheme]:
                row[f"{scheme}:{kind}"] = child["grades"].get(scheme, {}).get(kind, 0)
        money = sum(s["total_fen"] for s in child["subsidies"])
        row["subsidies"] = sum(s["count"] for s in child["subsidies"])
        row["subsidies (yuan)"] = format_yuan(money)
        rows.append(row)
    return rows


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


def org_tables(org: dict[str, Any]) -> list[Table]:
    """An organization's state and its timeline across origins."""
    state = Table(title=f"{org['name']} ({org['status']})", show_header=False)
    for key in ("org_id", "uscc", "filing_number", "filing_node", "home", "filed_on",
                "registered_on", "upgraded_on", "closed_on"):  # fmt: skip
        if org.get(key):
            state.add_row(key, str(org[key]))
    for scheme, grade in sorted(org["grades"].items()):
        expired = " (过期)" if grade["expired"] else ""
        state.add_row(f"grade {scheme}", f"{grade['grade']}{expired} by {grade['by']}")
    timeline = rows_table(org["timeline"], "timeline, in force order")
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


def print_marked_json(document: Any, point: Point) -> None:
    """A JSON answer, with a leading ``chain_broken`` list if forced over broken
    chains (a list answer is then wrapped as ``items``: no reader takes it unmarked)."""
    if point.broken:
        wrapped = document if isinstance(document, dict) else {"items": document}
        document = marked(wrapped, point)
    print_json(document)

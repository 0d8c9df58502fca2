"""A street node importing registers, for the service's import tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infrastructure.spreadsheets.limits import Limits
from infrastructure.spreadsheets.sniff import sniff
from service import sheet_outcomes
from service.node import open_node
from service.sheet_import import ImportOptions, plan_import

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.stores import Store
    from service.node import Node
    from service.sheet_import import Plan
    from service.sheet_outcomes import Outcome, Report

STREET = "330211001"  # 招宝山街道


def open_street(store: Store) -> Node:
    """招宝山街道's node, its genesis recorded."""
    node = open_node(store, STREET, create=True)
    node.ledger.open("招宝山街道", None, "2020-01-02")
    return node


def plan(node: Node, path: Path, **options: object) -> Plan:
    """The plan of importing ``path`` (``options`` as ImportOptions takes them)."""
    given = ImportOptions(**options)  # type: ignore[arg-type]
    return plan_import(node, path, sniff(path, Limits()), given)


def dry_run(node: Node, path: Path, **options: object) -> Report:
    """What importing ``path`` would do."""
    found = plan(node, path, **options)
    return sheet_outcomes.preview(node, found.items, found)


def run(node: Node, path: Path, partial: bool = False, **options: object) -> Report:
    """Import ``path`` as the command does (each row's data let go once checked)."""
    found = plan(node, path, **options)
    return sheet_outcomes.record(
        node,
        found.items,
        found,
        partial=partial,
        again=lambda: plan(node, path, **options).items,
        actor="cli:test",
    )


def by_row(report: Report) -> dict[int, Outcome]:
    """The outcomes by row number."""
    return {o.row: o for o in report.outcomes}


def statuses(report: Report) -> dict[int, str]:
    """Each row's status, by row number."""
    return {o.row: o.status.value for o in report.outcomes}

"""Export a street's registry, grades and subsidies, import them into a fresh node of
the same code (with the same policy), and its registry, roll-up and reconciliation
are the same — on both stores."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from service.exports import build_export
from service.sheet_outcomes import Status
from testdata import seed
from tests.service.exporting import street_with_a_year
from tests.service.registers import open_street, run

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.stores import Store
    from service.node import Node

END = "2024-12-31"


def _registry(node: Node) -> list[dict[str, Any]]:
    """The registry, without the seqs an import renumbers."""
    found = []
    for org in node.registry(node.point(END)):
        shown = org.model_dump()
        for grade in shown["grades"].values():
            grade.pop("seq")
        found.append(shown)
    return found


def _findings(node: Node) -> list[tuple[str, str, str, str]]:
    """Each finding's rule, organization, status and message."""
    report = node.reconcile(node.point(END))
    return sorted(
        (f.rule, f.org_id, f.status, f.message_zh) for f in report.discrepancies
    )


def _rollup(node: Node) -> dict[str, Any]:
    shown = node.rollup(node.point(END)).model_dump()
    shown.pop("known_pos")
    return shown


def test_a_round_trip_through_excel_keeps_every_view(
    store: Store, tmp_path: Path
) -> None:
    before = street_with_a_year(store)
    files = []
    for what in ("registry", "grades", "subsidies"):
        built = build_export(before, what, "xlsx", before.point(END), personal=True)
        path = tmp_path / built.filename
        with path.open("wb") as out:
            built.write(out)
        files.append(path)
    fresh_store = dataclasses.replace(
        store, home=tmp_path / "fresh", namespace=store.namespace + "fresh_"
    )
    after = open_street(fresh_store)
    try:
        after.record("PolicyAdopted", seed.policy(), actor="cli:test")
        for path in files:
            report = run(after, path)
            assert report.recorded, report.outcomes
            assert not report.refused, report.outcomes
        assert _registry(after) == _registry(before)
        assert _rollup(after) == _rollup(before)
        assert _findings(after) == _findings(before) != []
        for path in files:  # a second import of the same files records nothing
            again = run(after, path)
            assert set(again.counts) == {Status.HELD}, [
                (o.sheet, o.row, o.problems)
                for o in again.outcomes
                if o.status != Status.HELD
            ]
    finally:
        after.close()
        before.close()

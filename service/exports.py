"""Exports for Excel: what a node shows — registry, roll-up, grades, subsidies,
reconciliation, the year's statistics — as an XLSX workbook or a CSV table.

The CLI (`tierledger export`), the API (`GET /export/{what}`) and the web's export
buttons all come here; ``infrastructure.spreadsheets.writing`` writes the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from domain.codes import division_name
from domain.errors import InvalidFieldError
from domain.messages import Text
from domain.text import parse_identifier
from infrastructure.spreadsheets.writing import Sheet, write_csv, write_xlsx
from service import export_facts, export_registry, export_report, export_views

if TYPE_CHECKING:
    from projections.view import Point
    from service.node import Node

WHAT = {
    "registry": "组织库",
    "rollup": "汇总统计",
    "grades": "等级评估",
    "subsidies": "经费补助",
    "reconciliation": "对账结果",
    "report": "年度统计报表",
}
"""What can be exported, and its name in a file's name and title."""
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Export:
    """An export ready to write: its file name, format and sheets."""

    filename: str
    format: str
    sheets: list[Sheet]

    @property
    def media_type(self) -> str:
        """The file's media type."""
        return MEDIA_TYPES[self.format]

    def write(self, out: IO[bytes]) -> None:
        """Write the file into ``out`` (rows are read as they are written)."""
        if self.format == "csv":
            write_csv(self.sheets[0], out)
        else:
            write_xlsx(self.sheets, out)


def build_export(
    node: Node,
    what: str,
    fmt: str,
    point: Point,
    *,
    period: str | None = None,
    personal: bool = False,
) -> Export:
    """The export of ``what`` at the point, in format ``fmt`` (xlsx or csv)."""
    _check_choice(what, WHAT, "what")
    _check_choice(fmt, MEDIA_TYPES, "format")
    if period is not None:
        period = parse_identifier(period, "period", max_len=20)
    elif what == "report":
        raise InvalidFieldError(
            Text("the statistics report is for one year: give --period, e.g. 2024"),
            field="period",
        )
    name = division_name(node.code) or node.code.value
    title = f"{name} {WHAT[what]}（截至 {point.as_of}）"
    sheets = _sheets(node, what, fmt, point, title, period, personal)
    if fmt == "csv" and len(sheets) > 1:
        raise InvalidFieldError(
            Text(
                "a CSV file holds one table and this export has {count}: use xlsx",
                count=len(sheets),
            ),
            field="format",
        )
    stem = f"{name}_{WHAT[what]}_{period + '_' if period else ''}{point.as_of}"
    return Export(f"{stem}.{fmt}", fmt, sheets)


def _sheets(
    node: Node, what: str, fmt: str, point: Point, title: str,
    period: str | None, personal: bool,
) -> list[Sheet]:  # fmt: skip
    if what == "registry":
        if fmt == "csv":
            return [export_registry.listing(node, point, title, personal=personal)]
        return list(export_registry.registers(node, point, title, personal=personal))
    if what == "grades":
        return [export_facts.grades(node, point, title)]
    if what == "subsidies":
        return [export_facts.subsidies(node, point, title, period)]
    if what == "rollup":
        return export_views.rollup(node, point, title, period)
    if what == "reconciliation":
        return [export_views.reconciliation(node.reconcile(point), title)]
    assert period is not None  # checked above: a report is for one year
    return export_report.report(node, point, title, period)


def _check_choice(value: str, choices: dict[str, str], field: str) -> None:
    if value not in choices:
        raise InvalidFieldError(
            Text(
                "{field} must be one of {choices}, not {value}",
                field=field,
                choices=", ".join(choices),
                value=repr(value[:40]),
            ),
            field=field,
        )

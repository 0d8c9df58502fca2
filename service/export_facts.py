"""Grade evaluations and subsidy decisions as registers for Excel (the importer's
headers: they re-import), organizations named by credit code or filing number."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from domain.money import FUNDING_SOURCES
from infrastructure.spreadsheets.writing import Column, Sheet, Value
from projections import export_rows
from service.export_registry import NUMBER, place_name

if TYPE_CHECKING:
    from projections.export_rows import Decision, Evaluation
    from projections.models.registry import Organization
    from projections.view import Point
    from service.node import Node

GRADED = [NUMBER, Column("组织"), Column("组织全称"), Column("评估体系"),
          Column("评估等级"), Column("评估日期", "date"),
          Column("评定单位")]  # fmt: skip
SOURCE_HEADERS = {"lottery": "福彩公益金", "district": "区级", "street": "街道",
                  "community": "社区", "social": "社会资金"}  # fmt: skip
PAID = [NUMBER, Column("组织"), Column("组织全称"), Column("补助项目"), Column("年度"),
        Column("补助金额", "yuan", total=True),
        *(Column(SOURCE_HEADERS[s], "yuan", total=True) for s in FUNDING_SOURCES),
        Column("评估等级"), Column("评估体系"), Column("决定日期", "date"),
        Column("决定单位")]  # fmt: skip


class References:
    """How a register names each organization: its credit code when registered,
    else its filing number (``NODE:number`` where two nodes used that number)."""

    def __init__(self, orgs: list[Organization]) -> None:
        self.orgs = {o.org_id: o for o in orgs}
        self.numbers = Counter(o.filing_number for o in orgs if o.filing_number)

    def ref(self, org_id: str) -> str:
        """The reference the importer resolves back to ``org_id``."""
        org = self.orgs.get(org_id)
        if org is None:
            return org_id
        if org.uscc:
            return org.uscc
        if org.filing_number and self.numbers[org.filing_number] > 1:
            return f"{org.filing_node}:{org.filing_number}"
        return org.filing_number or org_id

    def name(self, org_id: str) -> str | None:
        """The organization's name, for people."""
        org = self.orgs.get(org_id)
        return org.name if org else None


def grades(node: Node, point: Point, title: str) -> Sheet:
    """Every evaluation in force at the point, oldest first."""
    refs = References(node.registry(point))
    found = export_rows.evaluations(node.views.view, point)
    rows = (_graded_row(n, e, refs) for n, e in enumerate(found, start=1))
    return Sheet("等级评估结果", f"{title} 等级评估结果", GRADED, rows)


def subsidies(node: Node, point: Point, title: str, period: str | None) -> Sheet:
    """Every subsidy live at the point (of ``period`` only, if given), with totals."""
    refs = References(node.registry(point))
    found = [
        d
        for d in export_rows.decisions(node.views.view, point)
        if period is None or d.period == period
    ]
    rows = (_paid_row(n, d, refs) for n, d in enumerate(found, start=1))
    name = f"经费补助 {period}" if period else "经费补助"
    return Sheet(name, f"{title} {name}", PAID, rows, totals=True)


def _graded_row(number: int, e: Evaluation, refs: References) -> list[Value]:
    return [number, refs.ref(e.org_id), refs.name(e.org_id), e.scheme, e.grade,
            e.effective_on, place_name(e.origin)]  # fmt: skip


def _paid_row(number: int, d: Decision, refs: References) -> list[Value]:
    shares: list[Value] = [d.shares.get(s) for s in FUNDING_SOURCES]
    return [number, refs.ref(d.org_id), refs.name(d.org_id), d.program, d.period,
            d.amount_fen, *shares, d.grade, d.scheme, d.effective_on,
            place_name(d.origin)]  # fmt: skip

"""The roll-up and the reconciliation as sheets: counts, grades and money per child
(per community in a district's per-street sheets), findings with their evidence."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from domain.messages import Text
from domain.money import FUNDING_SOURCES
from domain.values import LegalForm
from infrastructure.i18n import CHINESE, translator
from infrastructure.spreadsheets.writing import Column, Sheet, Value
from projections.rules_text import RULES
from projections.words import CLASSES, SCHEMES, TIERS
from service.export_facts import SOURCE_HEADERS
from service.export_registry import NUMBER

if TYPE_CHECKING:
    from projections.models.reconciliation import ReconciliationReport
    from projections.models.rollup import RollupChild
    from projections.view import Point
    from service.node import Node

FORMS = [form.value for form in LegalForm]
PLACE = [Column("名称"), Column("区划代码")]
COUNTED = [*PLACE, Column("备案", "int", total=True),
           *(Column(f"登记·{LegalForm(f).label}", "int", total=True) for f in FORMS),
           Column("登记合计", "int", total=True), Column("注销", "int", total=True),
           Column("撤销登记", "int", total=True),
           Column("备案转登记", "int", total=True)]  # fmt: skip
MONEY = [*PLACE, Column("年度"), Column("补助项目"), Column("决定层级"),
         Column("笔数", "int", total=True), Column("补助金额", "yuan", total=True),
         *(Column(SOURCE_HEADERS[s], "yuan", total=True)
           for s in FUNDING_SOURCES)]  # fmt: skip
FOUND = [NUMBER, Column("规则"), Column("规则名称"), Column("状态"), Column("组织"),
         Column("问题说明"), Column("依据"), Column("等待下级")]  # fmt: skip


def chinese(word: str) -> str:
    """A word of ``projections.words`` in Chinese."""
    return Text(word).render(translator(CHINESE))


def rollup(node: Node, point: Point, title: str, period: str | None) -> list[Sheet]:
    """组织统计, 等级统计 and 补助统计 per child; a district adds each street's
    communities, one sheet per street."""
    rows = node.rollup(point, period=period).children
    sheets = [
        Sheet(
            "组织统计", f"{title} 组织统计", COUNTED, map(_counted, rows), totals=True
        ),
        _graded(rows, f"{title} 等级统计"),
        Sheet("补助统计", f"{title} 补助统计", MONEY, _money(rows), totals=True),
    ]
    if node.code.tier == "district":
        communities = node.rollup(point, communities=True, period=period).children
        streets: dict[str, list[RollupChild]] = defaultdict(list)
        for row in communities:
            streets[row.code[:9]].append(row)
        names = {row.code: row.name for row in rows}
        for code, inside in sorted(streets.items()):
            name = names.get(code, code)
            counted = Sheet(f"{name}·组织统计", f"{title} {name} 各社区组织统计",
                            COUNTED, map(_counted, inside), totals=True)  # fmt: skip
            sheets.append(counted)
    return sheets


STATUS = {"pending": "待定", "error": "错误", "warning": "警告"}


def reconciliation(report: ReconciliationReport, title: str) -> Sheet:
    """Every finding: rule, status, organization, message, evidence."""
    rows: list[list[Value]] = [
        [n, f.rule, RULES[f.rule].title_zh, STATUS.get(f.status, f.status),
         f.org_name, f.message_zh,
         " ".join(f"{e.origin}#{e.seq}" for e in f.evidence), " ".join(f.awaiting)]
        for n, f in enumerate(report.discrepancies, start=1)
    ]  # fmt: skip
    notes = [f"当前发现 {report.errors} 项，待定 {report.pending} 项。"]
    return Sheet("对账结果", f"{title} 对账结果", FOUND, rows, notes=notes)


def _counted(row: RollupChild) -> list[Value]:
    o = row.organizations
    return [row.name, row.code, o.filed, *(o.registered.get(f, 0) for f in FORMS),
            o.registered_total, o.deregistered, o.revoked, o.upgrades]  # fmt: skip


def _graded(rows: list[RollupChild], title: str) -> Sheet:
    keys = sorted({(s, g) for row in rows for s, c in row.grades.items() for g in c})
    columns = [*PLACE] + [
        Column(f"{chinese(SCHEMES.get(s) or s)}·{chinese(CLASSES.get(g) or g)}", "int",
               total=True)
        for s, g in keys
    ]  # fmt: skip
    body: list[list[Value]] = [
        [row.name, row.code, *(row.grades.get(s, {}).get(g, 0) for s, g in keys)]
        for row in rows
    ]
    return Sheet("等级统计", title, columns, body, totals=True)


def _money(rows: list[RollupChild]) -> list[list[Value]]:
    return [
        [row.name, row.code, line.period, line.program,
         chinese(TIERS.get(line.tier) or line.tier), line.count, line.total_fen,
         *(line.by_source.get(s, 0) for s in FUNDING_SOURCES)]
        for row in rows
        for line in row.subsidies
    ]  # fmt: skip

"""年度统计报表: a year's organizations by legal form, status and category per
street and community, the grades held, and its subsidies by source and program."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from domain.money import FUNDING_SOURCES
from domain.values import LegalForm
from infrastructure.spreadsheets.writing import Column, Sheet, Value
from projections import export_rows
from projections.words import SCHEMES
from service.export_facts import SOURCE_HEADERS
from service.export_registry import form_word, place_name, status_word
from service.export_views import chinese

if TYPE_CHECKING:
    from projections.models.registry import Organization
    from projections.view import Point
    from service.node import Node

STATUSES = ("filed", "registered", "deregistered", "revoked")
PLACE = [Column("街道"), Column("社区")]


def report(node: Node, point: Point, title: str, period: str) -> list[Sheet]:
    """The four sheets of the year's statistics report."""
    orgs = node.registry(point)
    places = _places(orgs)
    decisions = [
        d for d in export_rows.decisions(node.views.view, point) if d.period == period
    ]
    return [
        _forms_and_statuses(places, title),
        _categories(places, title),
        _grades(places, title),
        _money(decisions, title, period),
    ]


def _places(orgs: list[Organization]) -> dict[tuple[str, str], list[Organization]]:
    """Organizations by (street, community) name, in code order."""
    found: dict[tuple[str, str], list[Organization]] = defaultdict(list)
    for org in sorted(orgs, key=lambda o: o.home):
        street = place_name(org.home[:9]) if len(org.home) >= 9 else ""
        community = place_name(org.home) if len(org.home) == 12 else ""
        found[street, community].append(org)
    return found


def _forms_and_statuses(
    places: dict[tuple[str, str], list[Organization]], title: str
) -> Sheet:
    forms = [f.value for f in LegalForm]
    columns = [*PLACE,
               *(Column(status_word(s), "int", total=True) for s in STATUSES),
               *(Column(form_word(f) or f, "int", total=True) for f in forms),
               Column("合计", "int", total=True)]  # fmt: skip
    rows: list[list[Value]] = []
    for (street, community), orgs in places.items():
        status = Counter(o.status for o in orgs)
        form = Counter(o.legal_form for o in orgs if o.status == "registered")
        rows.append([street, community, *(status[s] for s in STATUSES),
                     *(form[f] for f in forms), len(orgs)])  # fmt: skip
    return Sheet("类型与状态", f"{title} 按组织类型与状态", columns, rows, totals=True)


def _categories(places: dict[tuple[str, str], list[Organization]], title: str) -> Sheet:
    names = sorted({o.category for orgs in places.values() for o in orgs if o.category})
    columns = [*PLACE, *(Column(n, "int", total=True) for n in names),
               Column("未填类别", "int", total=True)]  # fmt: skip
    rows: list[list[Value]] = []
    for (street, community), orgs in places.items():
        count = Counter(o.category for o in orgs)
        rows.append([street, community, *(count[n] for n in names), count[None]])
    return Sheet("类别", f"{title} 按组织类别", columns, rows, totals=True)


def _grades(places: dict[tuple[str, str], list[Organization]], title: str) -> Sheet:
    held = {
        (scheme, grade.grade)
        for orgs in places.values()
        for o in orgs
        for scheme, grade in o.grades.items()
    }
    keys = sorted(held)
    columns = [*PLACE] + [
        Column(f"{chinese(SCHEMES.get(s) or s)}·{g}", "int", total=True)
        for s, g in keys
    ]
    rows: list[list[Value]] = []
    for (street, community), orgs in places.items():
        count = Counter(
            (scheme, grade.grade) for o in orgs for scheme, grade in o.grades.items()
        )
        rows.append([street, community, *(count[k] for k in keys)])
    return Sheet("等级分布", f"{title} 等级分布", columns, rows, totals=True)


def _money(decisions: list[export_rows.Decision], title: str, period: str) -> Sheet:
    columns = [Column("补助项目"), Column("笔数", "int", total=True),
               Column("补助金额", "yuan", total=True),
               *(Column(SOURCE_HEADERS[s], "yuan", total=True)
                 for s in FUNDING_SOURCES)]  # fmt: skip
    programs: dict[str, list[int]] = defaultdict(
        lambda: [0] * (2 + len(FUNDING_SOURCES))
    )
    for d in decisions:
        line = programs[d.program]
        line[0] += 1
        line[1] += d.amount_fen
        for n, source in enumerate(FUNDING_SOURCES, start=2):
            line[n] += d.shares.get(source, 0)
    rows: list[list[Value]] = [[name, *line] for name, line in sorted(programs.items())]
    return Sheet(f"补助 {period}", f"{title} {period}年度补助（按项目与资金来源）",
                 columns, rows, totals=True)  # fmt: skip

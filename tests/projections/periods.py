"""Two years of one street: filings in two communities, grades, and subsidies for the
periods 2023 and 2024 — what roll-ups by period and audit diffs are checked on."""

from __future__ import annotations

from typing import Any

STREET = "330211001"
"""招宝山街道: it files, grades and pays."""
EAST, VICTORY = "330211001001", "330211001002"
"""城东社区 and 胜利路社区, the organizations' home communities."""
PROGRAM = "基层社会组织活动经费补助"
DANCERS, PAINTERS = "招宝山备2022-001", "招宝山备2022-002"
DANCERS_NAME, PAINTERS_NAME = "城东“银龄”舞蹈队", "胜利路书画社"
MID_2024, END_2024 = "2024-06-30", "2024-12-31"
"""Between them the painters were graded 二类 and paid for 2024."""

Item = tuple[str, dict[str, Any]]


def paid(org: str, period: str, yuan: int, on: str, grade: str) -> Item:
    """A subsidy the street decides, split 60/40 street/community."""
    fen = yuan * 100
    return "SubsidyDecided", {
        "org": org, "program": PROGRAM, "period": period, "amount_fen": fen,
        "shares_fen": {"street": fen * 6 // 10, "community": fen * 4 // 10},
        "grade_scheme": "class", "grade": grade, "effective_on": on,
    }  # fmt: skip


def graded(org: str, grade: str, on: str) -> Item:
    """A class the street gives."""
    return "GradeEvaluated", {
        "org": org,
        "scheme": "class",
        "grade": grade,
        "effective_on": on,
    }


def filed(number: str, name: str, community: str, on: str) -> Item:
    """A filing at the street, homed in a community."""
    return "OrganizationFiled", {
        "filing_number": number,
        "name": name,
        "category": "文体活动",
        "community": community,
        "effective_on": on,
    }


def two_years() -> list[Item]:
    """2023: both classed and paid (¥3 200 + ¥1 050); 2024: the dancers paid
    ¥3 500 in March, the painters re-graded 二类 in November and paid ¥2 500."""
    return [
        filed(DANCERS, DANCERS_NAME, EAST, "2022-03-01"),
        filed(PAINTERS, PAINTERS_NAME, VICTORY, "2022-05-01"),
        graded(DANCERS, "一类", "2023-11-20"),
        graded(PAINTERS, "三类", "2023-11-20"),
        paid(DANCERS, "2023", 3200, "2023-12-15", "一类"),
        paid(PAINTERS, "2023", 1050, "2023-12-15", "三类"),
        paid(DANCERS, "2024", 3500, "2024-03-15", "一类"),
        graded(PAINTERS, "二类", "2024-11-20"),
        paid(PAINTERS, "2024", 2500, "2024-12-15", "二类"),
    ]


YUAN = {"2023": 4250_00, "2024": 6000_00}
"""Fen decided per period (as of the end of 2024)."""

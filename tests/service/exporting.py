"""A street that recorded its own year — filings with their responsible persons, a
registration, an upgrade, a policy, grades and subsidies (one above its band, one
revoked) — for the export tests."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import openpyxl

from domain.uscc import make_uscc
from testdata import seed
from tests.service.registers import open_street

if TYPE_CHECKING:
    from infrastructure.stores import Store
    from service.exports import Export
    from service.node import Node

GRADES = ("一类", "二类", "三类", "不合格")
YUAN = {"一类": 350_000, "二类": 250_000, "三类": 150_000}


def uscc(n: int) -> str:
    """A valid civil-affairs credit code, the same for the same ``n``."""
    import random

    return make_uscc(random.Random(n), "1")


def record_year(node: Node) -> None:
    """The street's year, as a clerk records it."""
    record = node.record
    record("PolicyAdopted", seed.policy(), actor="cli:test")
    for n in range(12):
        data: dict[str, Any] = {
            "filing_number": number(n + 1),
            "name": f"招宝山“银龄”服务队{n + 1}",
            "category": ("文体活动", "公益慈善", "邻里互助")[n % 3],
            "community": seed.COMMUNITIES[n % 3],
            "responsible_person": {"name": f"王秀{n}", "phone": f"1381234{n:04d}"},
            "effective_on": f"2024-0{1 + n % 6}-1{n % 9}",
        }
        record("OrganizationFiled", data, actor="cli:test")
    record("OrganizationRegistered", {"uscc": uscc(1), "name": "招宝山书画协会",
           "legal_form": "social_group", "effective_on": "2024-03-01"},
           actor="cli:test")  # fmt: skip
    record("OrganizationUpgraded", {"org": number(1), "uscc": uscc(2),
           "legal_form": "social_group", "effective_on": "2024-09-01"},
           actor="cli:test")  # fmt: skip
    for n in range(1, 9):
        _grade_and_pay(node, n, GRADES[n % 4])
    temporary = {"org": number(12), "program": "临时补助", "period": "2024",
                 "amount_fen": 10_000, "shares_fen": {"street": 10_000},
                 "effective_on": "2024-12-11"}  # fmt: skip
    revoked = record("SubsidyDecided", temporary, actor="cli:test")
    record("SubsidyRevoked", {"decision_seq": revoked.seq, "reason": "重复发放",
           "effective_on": "2024-12-20"}, actor="cli:test")  # fmt: skip


def number(n: int) -> str:
    """Organization ``n``'s filing number (from 1)."""
    return f"招宝山街备2024-{n:03d}"


def _grade_and_pay(node: Node, n: int, grade: str) -> None:
    graded = {"org": number(n + 1), "scheme": "class", "grade": grade,
              "effective_on": "2024-11-20"}  # fmt: skip
    node.record("GradeEvaluated", graded, actor="cli:test")
    if grade not in YUAN:
        return
    fen = YUAN[grade] + (150_000 if n == 5 else 0)  # n = 5: above its band
    street = fen * 6 // 10
    paid = {"org": number(n + 1), "program": "基层社会组织活动经费补助",
            "period": "2024", "amount_fen": fen, "grade": grade,
            "grade_scheme": "class",
            "shares_fen": {"street": street, "community": fen - street},
            "effective_on": "2024-12-10"}  # fmt: skip
    node.record("SubsidyDecided", paid, actor="cli:test")


def street_with_a_year(store: Store) -> Node:
    """招宝山街道 after its year."""
    node = open_street(store)
    record_year(node)
    return node


def workbook(built: Export) -> openpyxl.Workbook:
    """An export, written and read back."""
    out = io.BytesIO()
    built.write(out)
    out.seek(0)
    return openpyxl.load_workbook(out)

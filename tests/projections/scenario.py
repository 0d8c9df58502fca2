"""Varied, valid facts for view tests: filings, grades, subsidies, what revises them.

A ``Clerk`` works at one node and picks, from what its ledger already holds, a valid
next fact of a requested kind — so random sequences exercise corrections, revocations,
upgrades and deregistrations, not only the generator's yearly routine.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from domain.errors import LedgerError
from domain.uscc import make_uscc

if TYPE_CHECKING:
    from domain.application import Ledger
    from domain.state import OrgState

KINDS = (
    "file",
    "file",
    "grade",
    "grade",
    "subsidy",
    "subsidy",
    "revoke",
    "correct_grade",
    "correct_subsidy",
    "correct_name",
    "upgrade",
    "deregister",
)
NAMES = ("城东舞蹈队", "“银龄”志愿服务队", "邻里互助会", "书画社", "平安巡逻队")


class Clerk:
    """Records facts at one node, choosing valid targets from its own ledger."""

    def __init__(self, ledger: Ledger, seed: int = 0) -> None:
        self.ledger = ledger
        self.rng = random.Random(f"{seed}:{ledger.node}")
        self.serial = 0

    def act(self, kind: str) -> bool:
        """Record one fact of ``kind`` if the ledger allows one; True if recorded."""
        data = getattr(self, kind)()
        if data is None:
            return False
        try:
            self.ledger.record(*data)
        except LedgerError:
            return False  # e.g. a duplicate subsidy the choice did not foresee
        return True

    def _day(self) -> str:
        return f"{self.rng.randint(2018, 2024)}-{self.rng.randint(1, 12):02d}-15"

    def _orgs(self, status: str) -> list[OrgState]:
        return [
            o
            for o in self.ledger.registry()
            if o["status"] == status
            and o["filing_node"] in (self.ledger.node.value, None)
        ]

    def file(self) -> tuple[str, dict[str, Any]]:
        self.serial += 1
        community = (
            self.ledger.node.value if len(self.ledger.node.value) == 12 else None
        )
        data: dict[str, Any] = {
            "filing_number": f"备{self.ledger.node}-{self.serial}",
            "name": f"{self.rng.choice(NAMES)}{self.serial}",
            "category": "文体活动",
            "effective_on": self._day(),
        }
        if community:
            data["community"] = community
        return "OrganizationFiled", data

    def grade(self) -> tuple[str, dict[str, Any]] | None:
        filed = self._orgs("filed")
        if not filed:
            return None
        org = self.rng.choice(filed)
        grade = self.rng.choice(["一类", "二类", "三类", "不合格"])
        return "GradeEvaluated", {
            "org": org["org_id"],
            "scheme": "class",
            "grade": grade,
            "effective_on": self._day(),
        }

    def subsidy(self) -> tuple[str, dict[str, Any]] | None:
        filed = self._orgs("filed")
        if not filed:
            return None
        org = self.rng.choice(filed)
        amount = self.rng.randrange(100_000, 400_000, 10_000)
        street = amount * 6 // 10
        return "SubsidyDecided", {
            "org": org["org_id"],
            "program": "社区社会组织日常活动补助",
            "period": str(self.rng.randint(2019, 2024)),
            "amount_fen": amount,
            "shares_fen": {"street": street, "community": amount - street},
            "effective_on": self._day(),
        }

    def revoke(self) -> tuple[str, dict[str, Any]] | None:
        live = self.ledger.subsidies()
        if not live:
            return None
        target = self.rng.choice(live)
        return "SubsidyRevoked", {
            "decision_seq": target["seq"],
            "reason": "复核发现活动未开展",
            "effective_on": max(target["decided_on"], self._day()),
        }

    def correct_grade(self) -> tuple[str, dict[str, Any]] | None:
        graded = [(o, g) for o in self._orgs("filed") for g in o["grades"].values()]
        if not graded:
            return None
        _, grade = self.rng.choice(graded)
        return "FactCorrected", {
            "corrects_seq": grade["seq"],
            "reason": "评分录入错误",
            "replacement": {"grade": self.rng.choice(["一类", "二类", "不合格"])},
        }

    def correct_subsidy(self) -> tuple[str, dict[str, Any]] | None:
        decided = self.ledger.subsidies(live_only=False)
        if not decided:
            return None
        target = self.rng.choice(decided)
        amount = self.rng.randrange(100_000, 400_000, 10_000)
        return "FactCorrected", {
            "corrects_seq": target["seq"],
            "reason": "金额更正",
            "replacement": {
                "amount_fen": amount,
                "shares_fen": {"street": amount},
            },
        }

    def correct_name(self) -> tuple[str, dict[str, Any]] | None:
        filed = self._orgs("filed")
        if not filed:
            return None
        org = self.rng.choice(filed)
        first = org["facts"][0]
        return "FactCorrected", {
            "corrects_seq": first,
            "reason": "名称更正",
            "replacement": {"name": f"{org['name']}（更正）"},
        }

    def upgrade(self) -> tuple[str, dict[str, Any]] | None:
        filed = [
            o for o in self._orgs("filed") if o["filing_node"] == self.ledger.node.value
        ]
        if not filed:
            return None
        org = self.rng.choice(filed)
        return "OrganizationUpgraded", {
            "org": org["org_id"],
            "uscc": make_uscc(self.rng, "1"),
            "legal_form": "social_group",
            "effective_on": "2024-06-01",
        }

    def deregister(self) -> tuple[str, dict[str, Any]] | None:
        known = self._orgs("filed") + self._orgs("registered")
        if not known:
            return None
        org = self.rng.choice(known)
        return "OrganizationDeregistered", {
            "org": org["org_id"],
            "reason": "自行解散",
            "effective_on": "2024-10-01",
        }

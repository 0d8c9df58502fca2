"""Small builders of valid fact data for tests."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from domain.codes import NodeCode
from domain.uscc import make_uscc

if TYPE_CHECKING:
    from domain.application import Ledger
    from infrastructure.stores import Store

STREET = NodeCode("330211001")  # 招宝山街道
COMMUNITY = NodeCode("330211001001")  # 城东社区
DISTRICT = NodeCode("330211")  # 镇海区


def open_node(
    store: Store, node: NodeCode = COMMUNITY, name: str = "城东社区"
) -> Ledger:
    """A freshly opened ledger on the given store."""
    ledger = store.open_ledger(node, create=True)
    ledger.open(name, None, "2020-01-02")
    return ledger


def filing(
    number: str = "镇民备2024001号", name: str = "城东舞蹈队", **extra: Any
) -> dict[str, Any]:
    """Data of an OrganizationFiled."""
    return {
        "filing_number": number,
        "name": name,
        "category": "文体活动",
        "effective_on": "2021-03-01",
        **extra,
    }


def uscc(seed: int = 1, category: str = "1") -> str:
    """A valid civil-affairs USCC."""
    return make_uscc(random.Random(seed), category)


def subsidy(org: str, amount_fen: int = 350_000, **extra: Any) -> dict[str, Any]:
    """Data of a SubsidyDecided split 60/40 between street and community."""
    street = amount_fen * 6 // 10
    return {
        "org": org,
        "program": "日常活动补助",
        "period": "2024",
        "amount_fen": amount_fen,
        "shares_fen": {"street": street, "community": amount_fen - street},
        "effective_on": "2024-12-15",
        **extra,
    }

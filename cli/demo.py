"""`tierledger demo`: a real community's ledger, built, shown and verified."""

from __future__ import annotations

import random
import shutil
from typing import TYPE_CHECKING

from cli.generator import Generator, make_uscc
from cli.output import console, registry_table
from domain.codes import NodeCode, division_name
from domain.errors import NodeExistsError
from projections.keys import create_key
from projections.stores import Store

if TYPE_CHECKING:
    from pathlib import Path

    from domain.application import Ledger

COMMUNITY = NodeCode("330211001001")  # 城东社区, 招宝山街道, 镇海区
MARKER = ".tierledger-demo"


def run(home: Path, database_url: str | None) -> None:
    """Build the demo ledger under ``home``; print head, registry and verify result."""
    store = Store(home, database_url)
    _fresh(store, home)
    name = division_name(COMMUNITY) or "城东社区"
    public_key = create_key(store.key_path(COMMUNITY))
    ledger = store.open_ledger(COMMUNITY, create=True)
    try:
        ledger.open(name, public_key, "2021-01-04")
        _record_history(ledger)
        _show(ledger, store)
    finally:
        ledger.close()


def _fresh(store: Store, home: Path) -> None:
    if home.exists() and not (home / MARKER).exists():
        raise NodeExistsError(
            f"{home} exists and is not a demo folder; choose another --home"
        )
    shutil.rmtree(home, ignore_errors=True)
    store.drop(COMMUNITY)
    home.mkdir(parents=True)
    (home / MARKER).write_text(
        "made by `tierledger demo`; safe to delete\n", encoding="utf-8"
    )


def _record_history(ledger: Ledger) -> None:
    generator = Generator(COMMUNITY, seed=2021)
    for fact_type, data in generator.years(
        2021, 2023, new_per_year=4, communities=[COMMUNITY]
    ):
        ledger.record(fact_type, data)
    registry = ledger.registry()
    first, second, third = registry[0], registry[1], registry[2]
    ledger.record(
        "OrganizationUpgraded",
        {
            "org": first["org_id"],
            "uscc": make_uscc(random.Random(7), "1"),
            "legal_form": "社会团体",
            "effective_on": "2024-03-18",
        },
    )
    decisions = [f for f in ledger.facts() if f.fact_type == "SubsidyDecided"]
    ledger.record(
        "FactCorrected",
        {
            "corrects_seq": decisions[0].seq,
            "reason": "金额录入错误，按街道复核结果更正",
            "replacement": {
                "amount_fen": 320_000,
                "shares_fen": {"street": 192_000, "community": 128_000},
            },
            "effective_on": "2024-04-02",
        },
    )
    ledger.record(
        "SubsidyRevoked",
        {
            "decision_seq": decisions[-1].seq,
            "reason": "活动未按计划开展，补助撤回",
            "effective_on": "2024-04-10",
        },
    )
    ledger.record(
        "OrganizationDeregistered",
        {
            "org": second["org_id"],
            "outcome": "deregistered",
            "reason": "成员自愿解散",
            "effective_on": "2024-05-06",
        },
    )
    ledger.record(
        "GradeEvaluated",
        {
            "org": third["org_id"],
            "scheme": "class",
            "grade": "一类",
            "score": 95,
            "effective_on": "2024-05-20",
        },
    )


def _show(ledger: Ledger, store: Store) -> None:
    head = ledger.head()
    orgs = ledger.registry()
    console.print(
        registry_table(
            orgs, f"{ledger.node_name()} {COMMUNITY}: {len(orgs)} organizations"
        )
    )
    console.print(f"head: node {head.node} seq {head.seq} hash {head.hash}")
    console.print(f"verify: {ledger.verify().summary()}", markup=False)
    console.print(
        f"store: {store.describe()} — try `tierledger --home {store.home} "
        f"log {COMMUNITY}` or `... show {COMMUNITY} {orgs[0]['filing_number']}`",
        markup=False,
    )

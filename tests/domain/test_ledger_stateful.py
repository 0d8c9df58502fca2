"""Random command sequences, valid and invalid, against a node and a plain model."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain.application import Ledger
from domain.errors import LedgerError
from domain.identity import org_id_for_filing, org_id_for_uscc
from infrastructure.stores import Store
from tests.factories import STREET, uscc

FILINGS = ["备1", "备2", "备3"]
USCCS = [uscc(i, "1") for i in range(1, 4)]
NAMES = ["城东舞蹈队", "“银龄”志愿服务队", "邻里互助会", "Ａ协会"]
GRADES = {"national": ["5A", "3A", "1A", "无等级"], "class": ["一类", "三类", "不合格"]}
APPLIES = {"national": "registered", "class": "filed"}
NAME_CORRECTABLE = {"OrganizationFiled", "OrganizationRegistered"}


@dataclass
class ModelOrg:
    name: str
    status: str
    uscc: str | None = None
    filing_number: str | None = None
    filing_closed: bool = False
    grades: dict[str, str] = field(default_factory=dict)


@dataclass
class Model:
    """What the registry must look like, computed the plainest possible way."""

    orgs: dict[str, ModelOrg] = field(default_factory=dict)
    by_ref: dict[str, str] = field(default_factory=dict)
    facts: list[tuple[str, str | None]] = field(
        default_factory=lambda: [("LedgerOpened", None)]
    )
    live: dict[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict)
    first_named: dict[str, tuple[str, str]] = field(default_factory=dict)
    upgraded: dict[str, str] = field(default_factory=dict)
    """org_id -> the USCC its upgrade gave (offering it again is a repeat)."""
    """Filing number or USCC -> (fact type, name) of the fact that introduced it."""
    evaluated: dict[tuple[str, str], str] = field(default_factory=dict)
    """(org_id, scheme) -> the grade given today (one evaluation a day)."""

    def open_org(self, ref: str) -> str | None:
        org_id = self.by_ref.get(ref)
        if org_id is None or self.orgs[org_id].status in ("deregistered", "revoked"):
            return None
        return org_id

    def add(self, fact_type: str, org_id: str | None) -> int:
        self.facts.append((fact_type, org_id))
        return len(self.facts)


class LedgerMachine(RuleBasedStateMachine):
    store: Store | None = None

    def __init__(self) -> None:
        super().__init__()
        self.ledger = (
            self.store.open_ledger(STREET, create=True)
            if self.store
            else Ledger(STREET)
        )
        self.ledger.open("招宝山街道", None, "2020-01-02")
        self.model = Model()

    def teardown(self) -> None:
        self.ledger.close()

    def attempt(self, expected: str, fact_type: str, data: dict[str, Any]) -> bool:
        """Record and check the outcome: ``recorded``, ``repeat`` (the same fact
        offered again: answered as already recorded) or ``refused``."""
        before = self.ledger.head()
        try:
            receipt = self.ledger.record(fact_type, data)
        except LedgerError:
            assert expected == "refused", f"{fact_type} {data} refused unexpectedly"
            assert self.ledger.head() == before  # rejected commands record nothing
            return False
        outcome = "repeat" if receipt.already_recorded else "recorded"
        assert outcome == expected, f"{fact_type} {data}: {outcome}, not {expected}"
        if outcome == "repeat":
            assert self.ledger.head() == before  # a repeat records nothing
        return outcome == "recorded"

    def expect(self, ok: bool, repeat: bool = False) -> str:
        """The outcome the model predicts."""
        return "recorded" if ok else "repeat" if repeat else "refused"

    @rule(number=st.sampled_from(FILINGS), name=st.sampled_from(NAMES))
    def file(self, number: str, name: str) -> None:
        ok = number not in self.model.by_ref
        repeat = self.model.first_named.get(number) == ("OrganizationFiled", name)
        if self.attempt(
            self.expect(ok, repeat),
            "OrganizationFiled",
            {"filing_number": number, "name": name, "category": "文体活动"},
        ):
            self.model.first_named[number] = ("OrganizationFiled", name)
            org_id = str(org_id_for_filing(STREET, number))
            self.model.orgs[org_id] = ModelOrg(name, "filed", filing_number=number)
            self.model.by_ref[number] = org_id
            self.model.add("OrganizationFiled", org_id)

    @rule(code=st.sampled_from(USCCS), name=st.sampled_from(NAMES))
    def register(self, code: str, name: str) -> None:
        ok = code not in self.model.by_ref
        repeat = self.model.first_named.get(code) == ("OrganizationRegistered", name)
        if self.attempt(
            self.expect(ok, repeat),
            "OrganizationRegistered",
            {"uscc": code, "name": name, "legal_form": "social_group"},
        ):
            self.model.first_named[code] = ("OrganizationRegistered", name)
            org_id = str(org_id_for_uscc(code))
            self.model.orgs[org_id] = ModelOrg(name, "registered", uscc=code)
            self.model.by_ref[code] = org_id
            self.model.add("OrganizationRegistered", org_id)

    @rule(number=st.sampled_from(FILINGS), code=st.sampled_from(USCCS))
    def upgrade(self, number: str, code: str) -> None:
        org_id = self.model.by_ref.get(number)
        org = self.model.orgs.get(org_id) if org_id else None
        ok = org is not None and org.status == "filed" and code not in self.model.by_ref
        repeat = org_id is not None and self.model.upgraded.get(org_id) == code
        if self.attempt(
            self.expect(ok, repeat),
            "OrganizationUpgraded",
            {"org": number, "uscc": code, "legal_form": "social_group"},
        ):
            assert org is not None
            assert org_id is not None
            org.status, org.uscc, org.filing_closed = "registered", code, True
            self.model.by_ref[code] = org_id
            self.model.upgraded[org_id] = code
            self.model.add("OrganizationUpgraded", org_id)

    def pick_ref(self, data: st.DataObject) -> str:
        """Mostly a reference the node knows, sometimes any from the pools."""
        known = sorted(self.model.by_ref)
        if known and data.draw(st.integers(0, 9)) < 8:
            return data.draw(st.sampled_from(known))
        return data.draw(st.sampled_from(FILINGS + USCCS))

    @rule(
        data=st.data(),
        outcome=st.sampled_from(["deregistered", "revoked"]),
        now=st.integers(0, 3),
    )
    def deregister(self, data: st.DataObject, outcome: str, now: int) -> None:
        if now:
            return  # deregistrations are rarer than other facts
        ref = self.pick_ref(data)
        org_id = self.model.open_org(ref)
        if self.attempt(
            self.expect(org_id is not None),
            "OrganizationDeregistered",
            {"org": ref, "outcome": outcome, "reason": "解散"},
        ):
            assert org_id is not None
            self.model.orgs[org_id].status = outcome
            self.model.add("OrganizationDeregistered", org_id)

    @rule(
        data=st.data(),
        scheme=st.sampled_from(sorted(GRADES)),
        grade=st.sampled_from([g for gs in GRADES.values() for g in gs]),
    )
    def evaluate(self, data: st.DataObject, scheme: str, grade: str) -> None:
        ref = self.pick_ref(data)
        org_id = self.model.open_org(ref)
        allowed = (
            org_id is not None
            and grade in GRADES[scheme]
            and self.model.orgs[org_id].status == APPLIES[scheme]
        )
        today = self.model.evaluated.get((org_id or "", scheme))
        outcome = self.expect(allowed and today is None, allowed and today == grade)
        if self.attempt(
            outcome, "GradeEvaluated", {"org": ref, "scheme": scheme, "grade": grade}
        ):
            assert org_id is not None
            self.model.evaluated[(org_id, scheme)] = grade
            self.model.orgs[org_id].grades[scheme] = grade
            self.model.add("GradeEvaluated", org_id)

    @rule(
        data=st.data(),
        program=st.sampled_from(["日常补助", "公益创投"]),
        period=st.sampled_from(["2023", "2024"]),
        amount=st.sampled_from([0, 100_000, 350_000]),
        mismatch=st.integers(0, 4),
    )
    def decide(
        self, data: st.DataObject, program: str, period: str, amount: int, mismatch: int
    ) -> None:
        ref = self.pick_ref(data)
        mismatch = mismatch == 0  # one in five decisions has shares that do not add up
        org_id = self.model.open_org(ref)
        key = (org_id or "", program, period)
        allowed = org_id is not None and amount > 0 and not mismatch
        held = self.model.live.get(key)
        outcome = self.expect(
            allowed and held is None, allowed and held is not None and held[1] == amount
        )
        street = amount // 2 + (1 if mismatch else 0)
        fields = {
            "org": ref,
            "program": program,
            "period": period,
            "amount_fen": amount,
            "shares_fen": {"street": street, "community": amount - amount // 2},
        }
        if self.attempt(outcome, "SubsidyDecided", fields):
            self.model.live[key] = (self.model.add("SubsidyDecided", org_id), amount)

    @rule(data=st.data())
    def revoke(self, data: st.DataObject) -> None:
        live = sorted(s for s, _ in self.model.live.values())
        pick_live = live and data.draw(st.integers(0, 3)) > 0
        seq = data.draw(st.sampled_from(live) if pick_live else st.integers(1, 60))
        key = next((k for k, (s, _) in self.model.live.items() if s == seq), None)
        if self.attempt(
            self.expect(key is not None),
            "SubsidyRevoked",
            {"decision_seq": seq, "reason": "撤回"},
        ):
            assert key is not None
            del self.model.live[key]
            self.model.add("SubsidyRevoked", key[0])

    @rule(seq=st.integers(1, 60), name=st.sampled_from(NAMES))
    def correct_name(self, seq: int, name: str) -> None:
        fact = self.model.facts[seq - 1] if seq <= len(self.model.facts) else None
        ok = fact is not None and fact[0] in NAME_CORRECTABLE
        if self.attempt(
            self.expect(ok),
            "FactCorrected",
            {"corrects_seq": seq, "reason": "更正", "replacement": {"name": name}},
        ):
            assert fact is not None
            assert fact[1] is not None
            self.model.orgs[fact[1]].name = name
            self.model.add("FactCorrected", fact[1])

    @invariant()
    def registry_equals_model(self) -> None:
        actual = {
            o["org_id"]: (
                o["name"],
                o["status"],
                o["uscc"],
                o["filing_number"],
                o["filing_closed"],
                {s: g["grade"] for s, g in o["grades"].items()},
            )
            for o in self.ledger.registry()
        }
        expected = {
            k: (o.name, o.status, o.uscc, o.filing_number, o.filing_closed, o.grades)
            for k, o in self.model.orgs.items()
        }
        assert actual == expected
        live = {
            (s["org_id"], s["program"], s["period"]): (s["seq"], s["amount_fen"])
            for s in self.ledger.subsidies()
        }
        assert live == self.model.live

    @invariant()
    def chain_is_intact(self) -> None:
        assert self.ledger.head().seq == len(self.model.facts)
        assert self.ledger.verify().ok


TestLedgerInMemory = LedgerMachine.TestCase
TestLedgerInMemory.settings = settings(stateful_step_count=60)


class SQLiteLedgerMachine(LedgerMachine):
    """The same machine on an SQLite file, to cover snapshots, cache and reloads."""

    def __init__(self) -> None:
        import tempfile
        from pathlib import Path

        self.store = Store(Path(tempfile.mkdtemp(prefix="tl-sm-")))
        super().__init__()


TestLedgerOnSQLite = SQLiteLedgerMachine.TestCase
TestLedgerOnSQLite.settings = settings(stateful_step_count=25, max_examples=15)


def test_model_agrees_with_itself_on_an_empty_ledger() -> None:
    machine = LedgerMachine()
    machine.registry_equals_model()
    machine.teardown()
    with pytest.raises(AssertionError):
        machine.attempt("recorded", "SubsidyDecided", {"org": "nobody"})

"""Each reconciliation rule, R1–R9, on its own: found with its evidence, and only it."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import pytest

from domain.codes import NodeCode
from domain.fact_types.fact_corrected import FactCorrected
from domain.fact_types.grade_evaluated import GradeEvaluated
from domain.identity import org_id_for_filing
from domain.uscc import make_uscc
from projections.models.reconciliation import Evidence, Finding
from sync import runner
from sync.local import LocalPeer
from testdata import seed
from tests.projections.seed_network import SeedNetwork

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

C1, C2 = seed.COMMUNITIES[:2]
STREET, DISTRICT = seed.STREET, seed.DISTRICT
DAY = "2024-03-15"
END = "2024-12-31"


class Small(SeedNetwork):
    """The seed network with the policy and a handful of organizations of C1."""

    def file(self, n: int, community: str = C1, name: str | None = None) -> str:
        data = {"filing_number": f"备{n}", "name": name or f"组织{n}",
                "category": "文体活动", "effective_on": "2022-05-01"}  # fmt: skip
        self.record(community, "OrganizationFiled", data)
        return f"{community}:备{n}"

    def grade(self, org: str, grade: str, on: str = "2023-11-20") -> int:
        data = {"org": org, "scheme": "class", "grade": grade, "effective_on": on}
        return self.record(STREET, "GradeEvaluated", data)

    def rules(self, node: str = DISTRICT, **point: str) -> list[str]:
        self.sync()
        found = self.reconcile(node, **{"as_of": END, **point})
        return [d.rule for d in found.discrepancies]

    def only(self, rule: str) -> Finding:
        self.sync()
        found = self.reconcile(DISTRICT, as_of=END).discrepancies
        assert [d.rule for d in found] == [rule], found
        return found[0]


@pytest.fixture
def net(store: Store) -> Iterator[Small]:
    built = Small(store)
    built.record(STREET, "PolicyAdopted", seed.policy())
    yield built
    built.close()


def pay(
    net: Small, node: str, org: str, yuan: str, grade: str | None, **kw: Any
) -> int:
    fact_type, data = seed.subsidy(org, yuan, "2024", kw.pop("on", DAY), grade)
    return net.record(node, fact_type, data | kw)


def test_r1_amount_outside_the_band_and_above_the_cap(net: Small) -> None:
    org = net.file(1)
    net.sync()
    net.grade(org, "一类")
    seq = pay(net, STREET, org, "4500", "一类")
    found = net.rules()
    assert found == ["R1", "R1"]  # above 一类's ¥3000–4000 and above the ¥4000 cap
    assert net.reconcile(DISTRICT, as_of=END).discrepancies[0].evidence == [
        Evidence(origin=STREET, seq=seq, type="SubsidyDecided")
    ]


def test_r2_not_passed_absent_and_expired(net: Small) -> None:
    failed, ungraded, lapsed = net.file(1), net.file(2), net.file(3)
    net.sync()
    net.grade(failed, "不合格")
    net.grade(lapsed, "三类", on="2023-01-10")  # valid for a year
    pay(net, C1, failed, "1500", None)
    pay(net, C1, ungraded, "1500", "三类")
    pay(net, C1, lapsed, "1500", "三类", on="2024-02-01")
    assert net.rules()  # synced
    found = net.reconcile(DISTRICT, as_of=END)
    messages = sorted(d.message_en for d in found.discrepancies)
    assert [d.rule for d in found.discrepancies] == ["R2", "R2", "R2"]
    assert "no grade at all" in messages[1]
    assert "had expired" in messages[2]
    assert "not passed" in messages[0]


def test_r3_cited_grade_differs_from_the_evaluation(net: Small) -> None:
    org = net.file(1)
    net.sync()
    graded = net.grade(org, "二类")
    cited = pay(net, C1, org, "3500", "一类")
    r3 = net.only("R3")
    assert sorted((e.origin, e.seq) for e in r3.evidence) == sorted(
        [(C1, cited), (STREET, graded)]
    )


def test_r4_paid_twice_and_split_off_policy(net: Small) -> None:
    org, other = net.file(1), net.file(2)
    net.sync()
    net.grade(org, "二类")
    net.grade(other, "二类")
    pay(net, STREET, org, "2500", "二类")
    pay(net, C1, org, "2500", "二类")
    assert "2 times" in net.only("R4").message_en
    pay(net, STREET, other, "2500", "二类", shares_fen={"street": 250_000})
    assert net.rules() == ["R4", "R4"]


def test_r5_shares_that_do_not_add_up_from_another_implementation(
    net: Small,
) -> None:
    org = net.file(1)
    net.sync()
    net.grade(org, "二类")
    shares = {"street": 150_000, "community": 100_000}
    seq = pay(net, STREET, org, "2500", "二类", shares_fen=shares)
    # Every node of this product refuses to correct the amount away from its shares;
    # a child running other software could still sign such a correction, and the
    # ingest, which sees it without the decision it corrects, cannot tell. (A
    # decision whose own shares do not add up is refused at ingest.) Written past
    # the rules, as it would arrive.
    ledger = net.nodes[STREET].ledger
    journal = ledger.journal()
    before = journal.version
    payload = {"effective_on": DAY, "corrects_seq": seq, "reason": "更正",
               "replacement": {"amount_fen": 300_000},
               "org_id": _org_id(net, org)}  # fmt: skip
    journal._append(FactCorrected, payload)
    ledger.store(journal, before)
    assert net.rules() == ["R4", "R5"]  # the split is off too: 50/50, not 60/40


def test_r6_one_uscc_at_two_nodes_and_one_filing_twice(net: Small) -> None:
    uscc = make_uscc(random.Random(7), "1")
    for node in (C1, STREET):
        net.record(node, "OrganizationRegistered",
                   {"uscc": uscc, "name": "镇海区书画协会",
                    "legal_form": "social_group",
                    "effective_on": "2022-01-01"})  # fmt: skip
    net.file(1, name="城东舞蹈队")
    net.record(STREET, "OrganizationFiled",
               {"filing_number": "街备1", "name": "城东舞蹈队", "category": "文体活动",
                "community": C1, "effective_on": "2022-06-01"})  # fmt: skip
    assert net.rules()  # synced
    found = net.reconcile(DISTRICT, as_of=END)
    assert sorted(d.message_en.split(": ")[1] for d in found.discrepancies) == [
        f"USCC {uscc} registered at more than one node",
        f"filed more than once in community {C1}",
    ]


def test_r7_pending_on_every_unheard_community_below_the_grading_street(
    net: Small,
) -> None:
    org = net.file(1)
    street, district = net.nodes[STREET], net.nodes[DISTRICT]
    runner.pull(street, LocalPeer(net.nodes[C1], STREET))
    net.grade(org, "二类")
    runner.pull(district, OwnFactsOnly(street, DISTRICT))
    other = net.nodes[seed.COMMUNITIES[2]].ledger.journal().public_key or ""
    district.enroll("330211002", other)  # a second street, never heard from
    views = net.views[DISTRICT]
    [r7] = views.reconcile(views.point(as_of=END)).discrepancies
    # The street is current, but any of its communities may have filed it: the
    # district has heard from none of them; the other street is not below this one.
    assert (r7.rule, r7.status, r7.awaiting) == (
        "R7", "pending", list(seed.COMMUNITIES),
    )  # fmt: skip
    assert f"nothing yet from {', '.join(seed.COMMUNITIES)}" in r7.message_en


def test_r7_an_organization_filed_nowhere_is_an_error_once_all_have_spoken(
    net: Small,
) -> None:
    net.sync()
    # Written past the rules, as another implementation's signed fact would arrive.
    ledger = net.nodes[STREET].ledger
    journal = ledger.journal()
    before = journal.version
    nowhere = str(org_id_for_filing(NodeCode(C1), "备404"))
    payload = {"effective_on": DAY, "org_id": nowhere, "scheme": "class",
               "grade": "二类", "passed": True, "valid_until": "2025-03-15",
               "score": None, "note": None}  # fmt: skip
    journal._append(GradeEvaluated, payload)
    ledger.store(journal, before)
    net.sync()
    found = net.reconcile(DISTRICT, as_of=END)
    assert (found.pending, found.errors) == (1, 0)
    for n, community in enumerate(seed.COMMUNITIES):
        net.file(n + 1, community)  # each community's news since the grade
    r7 = net.only("R7")
    assert (r7.status, r7.awaiting) == ("error", [])


def test_r8_facts_after_deregistration(net: Small) -> None:
    org = net.file(1)
    net.sync()
    net.record(C1, "OrganizationDeregistered",
               {"org": "备1", "reason": "自行解散",
                "effective_on": "2023-06-30"})  # fmt: skip
    net.grade(org, "二类")  # the street has not heard of the closure yet
    r8 = net.only("R8")
    assert "deregistered on 2023-06-30" in r8.message_en
    assert [e.type for e in r8.evidence] == [
        "OrganizationDeregistered", "GradeEvaluated",
    ]  # fmt: skip


def test_r9_upgrade_disagrees_with_the_district_registration(net: Small) -> None:
    org = net.file(1)
    net.sync()
    uscc = make_uscc(random.Random(3), "2")
    net.record(C1, "OrganizationUpgraded",
               {"org": "备1", "uscc": uscc, "legal_form": "social_service_institution",
                "effective_on": "2024-05-06"})  # fmt: skip
    net.sync()
    net.record(DISTRICT, "OrganizationRegistered",
               {"uscc": uscc, "name": "组织1",
                "legal_form": "social_service_institution", "upgraded_from": org,
                "effective_on": "2024-05-08"})  # fmt: skip
    r9 = net.only("R9")
    assert r9.severity == "warning"
    assert "on 2024-05-06" in r9.message_en
    assert "on 2024-05-08" in r9.message_en


def test_a_policy_change_applies_from_its_effective_date_only(net: Small) -> None:
    org = net.file(1)
    net.sync()
    net.grade(org, "三类", on="2024-01-10")
    pay(net, STREET, org, "1800", "三类", on="2024-03-01")  # under the first policy
    stricter = seed.policy()
    stricter["effective_on"] = "2024-06-01"
    stricter["programs"][0]["bands"]["class"]["三类"] = ["1000", "1500"]
    net.record(STREET, "PolicyAdopted", stricter)
    first = net.nodes[STREET].ledger.head().seq - 1
    net.record(STREET, "SubsidyRevoked",
               {"decision_seq": first, "reason": "改按新办法重新核定",
                "effective_on": "2024-07-01"})  # fmt: skip
    pay(net, STREET, org, "1800", "三类", on="2024-07-02")
    assert net.rules() == ["R1"]
    assert net.rules(as_of="2024-06-30") == []
    [r1] = net.reconcile(DISTRICT, as_of=END).discrepancies
    assert "¥1000.00–1500.00" in r1.message_zh


class OwnFactsOnly(LocalPeer):
    """A child whose feed carries its own journal only, none of its descendants'."""

    def feed(self, after: int, limit: int = 500) -> dict[str, Any]:
        page = super().feed(after, limit)
        page["facts"] = [f for f in page["facts"] if f["node"] == STREET]
        return page


def _org_id(net: Small, ref: str) -> str:
    views = net.views[STREET]
    return str(views.organization(ref, views.point()).org_id)

"""Every invariant the journal enforces, each with its own error code."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from domain.application import Ledger
from domain.errors import LedgerError
from tests.factories import COMMUNITY, STREET, filing, subsidy, uscc

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def ledger() -> Iterator[Ledger]:
    node = Ledger(STREET)  # in-memory store
    node.open("招宝山街道", None, "2020-01-02")
    yield node
    node.close()


def refused(
    ledger: Ledger, fact_type: str, data: dict[str, Any], code: str
) -> LedgerError:
    """Assert that recording is refused with ``code`` and the head did not move."""
    before = ledger.head()
    with pytest.raises(LedgerError) as caught:
        ledger.record(fact_type, data)
    assert caught.value.code == code, caught.value.message
    assert ledger.head() == before
    return caught.value


def test_filing_numbers_are_unique_per_node(ledger: Ledger) -> None:
    ledger.record("OrganizationFiled", filing("A1"))
    error = refused(
        ledger,
        "OrganizationFiled",
        filing("A1", name="另一个队"),
        "duplicate-filing-number",
    )
    assert "城东舞蹈队" in error.message


def test_usccs_are_unique_per_node(ledger: Ledger) -> None:
    data = {"uscc": uscc(1), "name": "镇海区志愿者协会", "legal_form": "social_group"}
    ledger.record("OrganizationRegistered", data)
    refused(
        ledger, "OrganizationRegistered", data | {"name": "别的协会"}, "duplicate-uscc"
    )
    ledger.record("OrganizationFiled", filing("A1"))
    refused(
        ledger,
        "OrganizationUpgraded",
        {"org": "A1", "uscc": uscc(1), "legal_form": "social_group"},
        "duplicate-uscc",
    )


def test_uscc_category_must_match_the_legal_form(ledger: Ledger) -> None:
    error = refused(
        ledger,
        "OrganizationRegistered",
        {"uscc": uscc(1, "1"), "name": "x", "legal_form": "foundation"},
        "invalid-field",
    )
    assert "category social_group" in error.message


def test_upgrade_only_from_filed_and_only_once(ledger: Ledger) -> None:
    ledger.record("OrganizationFiled", filing("A1"))
    upgrade = {"org": "A1", "uscc": uscc(2), "legal_form": "社会团体"}
    receipt = ledger.record("OrganizationUpgraded", upgrade)
    org, _ = ledger.organization("A1")
    assert org["status"] == "registered"
    assert org["filing_closed"]
    assert org["org_id"] == receipt.org_id  # the upgrade keeps the filed identity
    refused(
        ledger,
        "OrganizationUpgraded",
        upgrade | {"uscc": uscc(3)},
        "upgrade-not-allowed",
    )


def test_upgrade_of_a_registered_organization_is_refused(ledger: Ledger) -> None:
    ledger.record(
        "OrganizationRegistered",
        {"uscc": uscc(4), "name": "协会", "legal_form": "social_group"},
    )
    refused(
        ledger,
        "OrganizationUpgraded",
        {"org": uscc(4), "uscc": uscc(5), "legal_form": "social_group"},
        "upgrade-not-allowed",
    )


def test_registration_upgraded_from_a_local_filing_closes_it(ledger: Ledger) -> None:
    ledger.record("OrganizationFiled", filing("A1"))
    receipt = ledger.record(
        "OrganizationRegistered",
        {
            "uscc": uscc(6),
            "name": "城东文化协会",
            "legal_form": "social_group",
            "upgraded_from": "A1",
        },
    )
    org, facts = ledger.organization(uscc(6))
    assert org["org_id"] == receipt.org_id
    assert org["filing_closed"]
    assert [f.fact_type for f in facts] == [
        "OrganizationFiled",
        "OrganizationRegistered",
    ]
    refused(
        ledger,
        "OrganizationRegistered",
        {
            "uscc": uscc(7),
            "name": "重复",
            "legal_form": "social_group",
            "upgraded_from": "A1",
        },
        "upgrade-not-allowed",
    )


def test_registration_may_cite_another_nodes_filing() -> None:
    district = Ledger(STREET.parent)  # type: ignore[arg-type]
    district.open("镇海区", None, "2020-01-02")
    receipt = district.record(
        "OrganizationRegistered",
        {
            "uscc": uscc(8),
            "name": "协会",
            "legal_form": "social_group",
            "upgraded_from": f"{STREET}:A1",
        },
    )
    street = Ledger(STREET)
    street.open("招宝山街道", None, "2020-01-02")
    filed = street.record("OrganizationFiled", filing("A1"))
    assert receipt.org_id == filed.org_id  # same identity, no coordination


def test_only_corrections_follow_a_deregistration(ledger: Ledger) -> None:
    filed = ledger.record("OrganizationFiled", filing("A1"))
    ledger.record("OrganizationDeregistered", {"org": "A1", "reason": "自行解散"})
    for fact_type, data in [
        ("GradeEvaluated", {"org": "A1", "scheme": "class", "grade": "一类"}),
        ("SubsidyDecided", subsidy("A1")),
        ("OrganizationDeregistered", {"org": "A1"}),
        (
            "OrganizationUpgraded",
            {"org": "A1", "uscc": uscc(9), "legal_form": "social_group"},
        ),
    ]:
        expected = (
            "upgrade-not-allowed"
            if fact_type == "OrganizationUpgraded"
            else "organization-deregistered"
        )
        refused(ledger, fact_type, data, expected)
    ledger.record(
        "FactCorrected",
        {
            "corrects_seq": filed.seq,
            "reason": "名称笔误",
            "replacement": {"name": "城东舞蹈团"},
        },
    )
    assert ledger.organization("A1")[0]["name"] == "城东舞蹈团"


def test_subsidy_needs_a_known_organization(ledger: Ledger) -> None:
    refused(ledger, "SubsidyDecided", subsidy("没有这个备案号"), "unknown-organization")
    refused(ledger, "SubsidyDecided", subsidy(uscc(10)), "unknown-organization")


def test_subsidy_needs_a_positive_amount(ledger: Ledger) -> None:
    ledger.record("OrganizationFiled", filing("A1"))
    refused(ledger, "SubsidyDecided", subsidy("A1", amount_fen=0), "invalid-amount")
    refused(
        ledger, "SubsidyDecided", subsidy("A1") | {"amount_fen": -5}, "invalid-amount"
    )


def test_subsidy_shares_must_add_up(ledger: Ledger) -> None:
    ledger.record("OrganizationFiled", filing("A1"))
    data = subsidy("A1") | {"shares_fen": {"street": 200_000, "community": 100_000}}
    error = refused(ledger, "SubsidyDecided", data, "shares-mismatch")
    assert "3000.00" in error.message
    assert "3500.00" in error.message
    refused(
        ledger,
        "SubsidyDecided",
        subsidy("A1") | {"shares_fen": {"bank": 350_000}},
        "invalid-field",
    )


def test_one_live_subsidy_per_org_program_period(ledger: Ledger) -> None:
    ledger.record("OrganizationFiled", filing("A1"))
    first = ledger.record("SubsidyDecided", subsidy("A1"))
    refused(
        ledger, "SubsidyDecided", subsidy("A1", amount_fen=100_000), "duplicate-subsidy"
    )
    ledger.record("SubsidyDecided", subsidy("A1") | {"period": "2025"})
    ledger.record("SubsidyRevoked", {"decision_seq": first.seq, "reason": "撤回重报"})
    ledger.record("SubsidyDecided", subsidy("A1", amount_fen=100_000))


def test_revocation_must_name_a_live_subsidy(ledger: Ledger) -> None:
    filed = ledger.record("OrganizationFiled", filing("A1"))
    refused(
        ledger,
        "SubsidyRevoked",
        {"decision_seq": filed.seq, "reason": "x"},
        "unknown-fact",
    )
    decided = ledger.record("SubsidyDecided", subsidy("A1"))
    ledger.record("SubsidyRevoked", {"decision_seq": decided.seq, "reason": "x"})
    refused(
        ledger,
        "SubsidyRevoked",
        {"decision_seq": decided.seq, "reason": "x"},
        "unknown-fact",
    )


def test_corrections_reference_an_existing_fact_of_this_node(ledger: Ledger) -> None:
    error = refused(
        ledger,
        "FactCorrected",
        {"corrects_seq": 99, "reason": "x", "replacement": {"name": "y"}},
        "unknown-fact",
    )
    assert "ends at seq 1" in error.message
    refused(
        ledger,
        "FactCorrected",
        {"corrects_seq": 1, "reason": "x", "replacement": {"node_name": "y"}},
        "not-correctable",
    )


def test_corrections_may_only_replace_correctable_fields(ledger: Ledger) -> None:
    filed = ledger.record("OrganizationFiled", filing("A1"))
    refused(
        ledger,
        "FactCorrected",
        {
            "corrects_seq": filed.seq,
            "reason": "x",
            "replacement": {"filing_number": "A2"},
        },
        "not-correctable",
    )


def test_correcting_a_subsidy_keeps_its_shares_consistent(ledger: Ledger) -> None:
    ledger.record("OrganizationFiled", filing("A1"))
    decided = ledger.record("SubsidyDecided", subsidy("A1"))
    refused(
        ledger,
        "FactCorrected",
        {"corrects_seq": decided.seq, "reason": "x", "replacement": {"amount": "4000"}},
        "shares-mismatch",
    )
    ledger.record(
        "FactCorrected",
        {
            "corrects_seq": decided.seq,
            "reason": "按复核结果更正",
            "replacement": {
                "amount": "4000",
                "shares": {"street": "2400", "community": "1600"},
            },
        },
    )


def test_grade_scheme_must_fit_the_organization_status(ledger: Ledger) -> None:
    ledger.record("OrganizationFiled", filing("A1"))
    refused(
        ledger,
        "GradeEvaluated",
        {"org": "A1", "scheme": "national", "grade": "3A"},
        "grade-scheme-mismatch",
    )
    refused(
        ledger,
        "GradeEvaluated",
        {"org": "A1", "scheme": "class", "grade": "5A"},
        "invalid-grade",
    )
    receipt = ledger.record(
        "GradeEvaluated",
        {
            "org": "A1",
            "scheme": "class",
            "grade": "not passed",
            "effective_on": "2023-11-20",
        },
    )
    grade = ledger.organization("A1")[0]["grades"]["class"]
    assert grade == {
        "grade": "不合格",
        "passed": False,
        "evaluated_on": "2023-11-20",
        "valid_until": None,
        "score": None,
        "seq": receipt.seq,
    }


def test_national_grades_are_valid_five_years(ledger: Ledger) -> None:
    ledger.record(
        "OrganizationRegistered",
        {"uscc": uscc(11), "name": "协会", "legal_form": "social_group"},
    )
    ledger.record(
        "GradeEvaluated",
        {
            "org": uscc(11),
            "scheme": "national",
            "grade": "4a",
            "effective_on": "2020-02-29",
        },
    )
    grade = ledger.organization(uscc(11))[0]["grades"]["national"]
    assert (grade["grade"], grade["valid_until"]) == ("4A", "2025-02-28")


def test_filings_stay_inside_the_nodes_subtree(ledger: Ledger) -> None:
    refused(
        ledger,
        "OrganizationFiled",
        filing("A1", community="330211002001"),
        "outside-subtree",
    )
    ledger.record("OrganizationFiled", filing("A1", community=COMMUNITY.value))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (filing("A1") | {"effective_on": "2023-02-30"}, "invalid-date"),
        (filing("A1") | {"effective_on": "2099-01-01"}, "invalid-date"),
        (filing("A1") | {"effective_on": "23-1-1"}, "invalid-date"),
        (filing("A1") | {"name": ""}, "invalid-field"),
        (filing("A1") | {"name": "x" * 101}, "invalid-field"),
        (filing("A1") | {"name": "bell\x07"}, "invalid-field"),
        (filing("A1") | {"member_count": 2.5}, "invalid-field"),
        (
            filing("A1") | {"responsible_person": {"name": "王", "phone": "abc"}},
            "invalid-field",
        ),
        ({"name": "x", "category": "y"}, "missing-field"),
        (filing("A1") | {"funds": "10", "funds_fen": 1000}, "invalid-field"),
    ],
)
def test_field_errors_are_specific(
    ledger: Ledger, data: dict[str, Any], code: str
) -> None:
    refused(ledger, "OrganizationFiled", data, code)


def test_malformed_phone_is_not_echoed(ledger: Ledger) -> None:
    error = refused(
        ledger,
        "OrganizationFiled",
        filing("A1", responsible_person={"name": "王", "phone": "1380574x234"}),
        "invalid-field",
    )
    assert "1380574" not in error.message

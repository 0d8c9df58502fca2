"""Stored organization facts are what a clerk's input would have become: text in its
normal form, dates judged by the day of recording, derived ids and grades, money that
adds up, corrections of some correctable fact, policies as their files parse."""

from __future__ import annotations

from typing import Any

import pytest

from tests.domain.stored_corpus import (
    COMMUNITY,
    At,
    Corpus,
    accepted,
    altered,
    first,
    refused,
)

# Text and dates.


@pytest.mark.parametrize(
    "name", [" 城东舞蹈队", "城东舞蹈队\n", "Cafe\u0301", "", "x" * 101]
)
def test_stored_text_is_what_a_clerks_input_would_have_become(
    corpus: Corpus, name: str
) -> None:
    doc = first(corpus.own, "OrganizationFiled")
    assert refused(altered(doc, ("name",), name)).field == "payload.name"


def test_optional_text_is_null_rather_than_empty(corpus: Corpus) -> None:
    doc = first(corpus.own, "OrganizationFiled")
    accepted(altered(doc, ("venue",), None))
    assert refused(altered(doc, ("venue",), "")).field == "payload.venue"
    assert refused(altered(doc, ("name",), None)).field == "payload.name"


def test_effective_on_is_judged_by_the_day_the_fact_was_recorded(
    corpus: Corpus,
) -> None:
    doc = first(corpus.own, "OrganizationDeregistered")
    doc["recorded_at"] = "2020-03-01T17:00:00.000000Z"  # 2 March in China
    accepted(altered(doc, ("effective_on",), "2020-03-03"))
    assert refused(altered(doc, ("effective_on",), "2020-03-04")).field == (
        "payload.effective_on"
    )
    accepted(altered(doc, ("effective_on",), "1950-01-01"))
    for day in ("1949-12-31", "2020-3-3", " 2020-03-03", "20200303", 20200303):
        refused(altered(doc, ("effective_on",), day))
    # A fact recorded in the last hours of the calendar may name its last day.
    doc["recorded_at"] = "9999-12-31T20:00:00.000000Z"
    accepted(altered(doc, ("effective_on",), "9999-12-31"))


# Organization facts.


def test_a_filing_is_where_its_node_and_number_say(corpus: Corpus) -> None:
    doc = first(corpus.own, "OrganizationFiled")
    other_id = "00000000-0000-0000-0000-000000000000"
    assert refused(altered(doc, ("org_id",), other_id)).field == "payload.org_id"
    assert refused(altered(doc, ("filing_number",), "另一号")).field == "payload.org_id"
    assert refused(altered(doc, ("community",), "330211001002")).field == (
        "payload.community"
    )
    assert refused(altered(doc, ("community",), None)).field == "payload.community"


def test_a_registration_is_its_usccs_civil_affairs_category(corpus: Corpus) -> None:
    doc = first(corpus.own, "OrganizationRegistered")
    uscc = doc["payload"]["uscc"]
    assert refused(altered(doc, ("legal_form",), "social_group")).field == (
        "payload.legal_form"
    )
    assert refused(altered(doc, ("legal_form",), "社会服务机构")).field == (
        "payload.legal_form"
    )
    assert refused(altered(doc, ("uscc",), uscc.lower())).field == "payload.uscc"
    assert refused(altered(doc, ("uscc",), uscc[:-1] + "0")).field == "payload.uscc"
    filing = first(corpus.own, "OrganizationFiled")["payload"]["org_id"]
    assert refused(altered(doc, ("upgraded_from",), filing)).field == "payload.org_id"
    upgraded = altered(altered(doc, ("upgraded_from",), filing), ("org_id",), filing)
    accepted(upgraded)
    upper = altered(upgraded, ("upgraded_from",), filing.upper())
    assert refused(altered(upper, ("org_id",), filing.upper())).field == (
        "payload.upgraded_from"
    )


def test_a_grade_is_its_schemes_own_with_what_the_scheme_derives(
    corpus: Corpus,
) -> None:
    doc = first(corpus.own, "GradeEvaluated", lambda p: p["scheme"] == "national")
    assert refused(altered(doc, ("grade",), "4a")).field == "payload.grade"
    assert refused(altered(doc, ("grade",), "一类")).field == "payload.grade"
    assert refused(altered(doc, ("scheme",), "Class")).field == "payload.scheme"
    assert refused(altered(doc, ("passed",), 1)).field == "payload.passed"
    assert refused(altered(doc, ("passed",), False)).field == "payload.passed"
    assert refused(altered(doc, ("valid_until",), "2027-03-02")).field == (
        "payload.valid_until"
    )
    failed = altered(doc, ("grade",), "无等级")
    failed = altered(altered(failed, ("passed",), False), ("valid_until",), None)
    accepted(failed)
    assert refused(altered(doc, ("score",), 1001)).field == "payload.score"
    assert refused(altered(doc, ("org_id",), "not-a-uuid")).field == "payload.org_id"


def test_a_subsidy_is_split_across_known_sources_adding_up_to_it(
    corpus: Corpus,
) -> None:
    doc = first(corpus.own, "SubsidyDecided", lambda p: p["grade"] is not None)
    amount = doc["payload"]["amount_fen"]
    for shares in (
        {"lottery": amount + 1},
        {"lottery": amount + 1, "district": -1},
        {"welfare": amount},
        {},
        {"lottery": str(amount)},
    ):
        assert refused(altered(doc, ("shares",), shares)).field == "payload.shares"
    zero = altered(altered(doc, ("amount_fen",), 0), ("shares",), {"street": 0})
    assert refused(zero).field == "payload.amount_fen"
    for key in ("grade_scheme", "grade"):  # a cited grade needs its scheme, and back
        assert refused(altered(doc, (key,), None)).field == "payload.grade_scheme"
    accepted(altered(altered(doc, ("grade",), None), ("grade_scheme",), None))


def test_revocations_and_corrections_name_earlier_facts_of_their_origin(
    corpus: Corpus,
) -> None:
    revoked = first(corpus.own, "SubsidyRevoked")
    for seq in (revoked["seq"], 0, 2**62 + 1, True):
        refused(altered(revoked, ("decision_seq",), seq))
    corrected = first(corpus.own, "FactCorrected")
    assert refused(altered(corrected, ("corrects_seq",), corrected["seq"])).field == (
        "payload.corrects_seq"
    )


@pytest.mark.parametrize(
    "replacement",
    [
        {},
        {"filing_number": "改号"},  # an identity field is never correctable
        {"name": "新名", "amount_fen": 100},  # fields of two kinds of fact
        {"amount_fen": 0},
        {"amount_fen": 100, "shares": {"street": 99}},
        {"shares": {"street": -1, "community": 2}},
        {"passed": True},  # without the grade it derives from
        {"grade": "一类", "passed": False, "valid_until": None},
        {"grade": "不合格", "passed": False, "valid_until": "2021-01-01"},
        {"grade": "一类", "passed": True, "valid_until": "2021-02-30"},
        {"effective_on": "2021-01-01", "grade": "一类", "passed": True,
         "valid_until": "2021-01-02"},
        {"grade": "一类", "grade_scheme": None},
        {"grade": "5A", "grade_scheme": "class"},
        {"grade_scheme": "Class"},
        {"community": "330211002001"},  # another street's community
        {"member_count": 0},
        {"name": None},
        {"reason": ""},
    ],
)  # fmt: skip
def test_a_replacement_is_what_a_correction_of_some_fact_would_store(
    corpus: Corpus, replacement: dict[str, Any]
) -> None:
    doc = first(corpus.own, "FactCorrected")
    error = refused(altered(doc, ("replacement",), replacement))
    assert error.field is not None
    assert error.field.startswith("payload.replacement")


@pytest.mark.parametrize(
    "replacement",
    [
        {"name": "新名", "community": COMMUNITY, "effective_on": "2021-01-01"},
        {"funds_fen": 0, "responsible_person": {"name": "王芳"}},
        {"grade": "一类", "passed": True, "valid_until": "2022-05-01"},
        {"effective_on": "2021-01-01", "grade": "一类", "passed": True,
         "valid_until": "2022-01-01"},
        {"score": 0, "note": "复核"},
        {"amount_fen": 100, "shares": {"street": 60, "community": 40}},
        {"shares": {"lottery": 1}},
        {"grade_scheme": None},
        {"grade": "三类"},
        {"reason": "更正"},
    ],
)  # fmt: skip
def test_a_replacement_of_any_correctable_fact_is_accepted(
    corpus: Corpus, replacement: dict[str, Any]
) -> None:
    accepted(altered(first(corpus.own, "FactCorrected"), ("replacement",), replacement))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ((0, "bands", "class", "一类"), [-100, 400_000]),
        ((0, "bands", "class", "一类"), [400_000, 300_000]),
        ((0, "bands", "class", "一类"), [300_000.0, 400_000]),
        ((0, "bands", "class", "一类"), [300_000]),
        ((0, "bands", "class", "优秀"), [1, 2]),
        ((0, "bands", "Class"), {}),
        ((0, "cap_fen"), "4000"),
        ((0, "cap_fen"), -1),
        ((0, "split"), {"street": 60, "community": 41}),
        ((0, "program"), "日常\u0007补助"),
        ((0, "program"), " 日常补助"),
        ((0, "cap"), 400_000),
        ((1, "program"), "社区社会组织日常活动补助"),  # twice
    ],
)
def test_a_policys_programs_are_what_its_file_parses_to(
    corpus: Corpus, path: At, value: Any
) -> None:
    doc = first(corpus.own, "PolicyAdopted")
    error = refused(altered(doc, ("programs", *path), value))
    assert error.field is not None
    assert error.field.startswith("payload.programs")

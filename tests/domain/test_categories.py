"""Categories of community social organizations: a shipped vocabulary; an unknown
category is recorded as given, with a warning."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import given
from hypothesis import strategies as st

from domain.categories import canonical, category_warnings, shipped_categories
from infrastructure.i18n import CHINESE, translator
from testdata.generator import _ACTIVITIES
from tests import factories

if TYPE_CHECKING:
    from infrastructure.stores import Store

DOCS = Path(__file__).resolve().parents[2] / "docs" / "facts.md"
NAMES = {
    name
    for category in shipped_categories()
    for name in (category.name, *category.synonyms)
}


def test_the_vocabulary_holds_the_categories_street_centres_file_under() -> None:
    names = [c.name for c in shipped_categories()]
    assert {"生活服务", "社区事务", "文体活动", "公益慈善"} <= set(names)
    assert len(names) == len(set(names))
    every = [n for c in shipped_categories() for n in (c.name, *c.synonyms)]
    assert len(every) == len(set(every))  # no synonym names two categories


def test_every_category_the_generator_and_seed_file_under_is_known() -> None:
    for _, category in _ACTIVITIES:
        assert canonical(category) == category
        assert category_warnings(category) == ()


def test_a_synonym_names_its_category_and_warns_of_nothing() -> None:
    assert canonical("文体活动类") == "文体活动"
    assert canonical("邻里互助") == "生活服务"
    assert category_warnings("公益慈善类") == ()


@given(st.text(min_size=1, max_size=40).filter(lambda t: t not in NAMES))
def test_any_category_outside_the_vocabulary_gets_one_warning_naming_it(
    category: str,
) -> None:
    (warning,) = category_warnings(category)
    assert warning.values["category"] == category
    assert canonical(category) is None


def test_the_warning_reads_in_chinese_too() -> None:
    (warning,) = category_warnings("广场舞")
    chinese = warning.render(translator(CHINESE))
    assert chinese.startswith("类别“广场舞”不属于")
    assert "文体活动" in chinese


def test_docs_list_every_category_and_synonym() -> None:
    section = DOCS.read_text(encoding="utf-8").split("### Categories", 1)[1]
    listed = set(re.findall(r"[\u4e00-\u9fff]+", section.split("\n## ", 1)[0]))
    assert listed >= NAMES


def test_an_unknown_category_is_recorded_as_given_with_a_warning(
    store: Store,
) -> None:
    ledger = factories.open_node(store)
    receipt = ledger.record(
        "OrganizationFiled", factories.filing("备1", category="广场舞")
    )
    (warning,) = receipt.warnings
    assert warning.values["category"] == "广场舞"
    fact = ledger.fact(receipt.seq)
    assert fact is not None
    assert fact.payload()["category"] == "广场舞"
    # Check a known one is stored exactly as given, and warns of nothing.
    known = ledger.record("OrganizationFiled", factories.filing("备2"))
    assert known.warnings == ()
    fact = ledger.fact(known.seq)
    assert fact is not None
    assert fact.payload()["category"] == factories.filing()["category"]
    ledger.close()


def test_a_correction_to_an_unknown_category_warns_too(store: Store) -> None:
    ledger = factories.open_node(store)
    filed = ledger.record("OrganizationFiled", factories.filing("备1"))
    wrong = {
        "corrects_seq": filed.seq,
        "reason": "类别填错",
        "replacement": {"category": "文体活功"},
        "effective_on": "2024-03-02",
    }
    (warning,) = ledger.record("FactCorrected", wrong).warnings
    assert warning.values["category"] == "文体活功"
    right = {**wrong, "replacement": {"category": "文体活动类"}}
    assert ledger.record("FactCorrected", right).warnings == ()
    ledger.close()

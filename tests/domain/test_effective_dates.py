"""Dates are never silently wrong: every receipt states the date its fact holds, a
date not given is flagged, and imports refuse facts without one."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from domain.errors import BatchRejectedError, MissingFieldError
from domain.receipts import Pending, Receipt
from domain.values import today_in_china
from testdata import seed
from testdata.generator import Generator, community_codes
from tests import factories
from tests.projections.delivery import open_node

if TYPE_CHECKING:
    from collections.abc import Iterator

    from domain.application import Ledger
    from infrastructure.stores import Store


@pytest.fixture
def ledger(store: Store) -> Iterator[Ledger]:
    opened = factories.open_node(store)
    yield opened
    opened.close()


def undated(**extra: Any) -> dict[str, Any]:
    """A filing's data without its date."""
    data = factories.filing(**extra)
    del data["effective_on"]
    return data


def test_a_receipt_states_the_date_given(ledger: Ledger) -> None:
    receipt = ledger.record("OrganizationFiled", factories.filing())
    assert (receipt.effective_on, receipt.date_defaulted) == ("2021-03-01", False)
    assert receipt.warnings == ()


@pytest.mark.parametrize("given", [None, "absent"])
def test_a_date_not_given_is_today_and_flagged_with_a_warning(
    ledger: Ledger, given: str | None
) -> None:
    data = undated() if given == "absent" else factories.filing(effective_on=None)
    receipt = ledger.record("OrganizationFiled", data)
    today = today_in_china().isoformat()
    assert (receipt.effective_on, receipt.date_defaulted) == (today, True)
    (warning,) = receipt.warnings
    assert warning.render().startswith("effective_on was not given")
    assert warning.values["date"] == today
    fact = ledger.fact(receipt.seq)
    assert fact is not None
    assert fact.effective_on == today


def test_a_retry_of_an_undated_request_is_flagged_once(ledger: Ledger) -> None:
    first = ledger.record("OrganizationFiled", undated(), request_key="k1")
    again = ledger.record("OrganizationFiled", undated(), request_key="k1")
    assert again.seq == first.seq
    assert again.date_defaulted
    assert len(again.warnings) == 1


def test_the_same_undated_request_twice_in_one_group_is_flagged_once(
    ledger: Ledger,
) -> None:
    group = [Pending.of("OrganizationFiled", undated(), "k1") for _ in range(2)]
    ledger.record_group(group)
    first, second = (pending.outcome() for pending in group)
    assert second.seq == first.seq
    assert [len(r.warnings) for r in (first, second)] == [1, 1]


def test_an_import_refuses_a_fact_without_its_date_and_records_nothing(
    ledger: Ledger,
) -> None:
    items = [
        (1, ("OrganizationFiled", factories.filing("备1"))),
        (2, ("OrganizationFiled", undated(filing_number="备2"))),
        (3, ("OrganizationFiled", factories.filing("备3", effective_on=None))),
    ]
    with pytest.raises(BatchRejectedError) as rejected:
        ledger.record_many(items)
    assert [n for n, _ in rejected.value.problems] == [2, 3]
    for _, problem in rejected.value.problems:
        assert isinstance(problem, MissingFieldError)
        assert problem.field == "effective_on"
        assert "needs field effective_on" in problem.message
    assert ledger.head().seq == 1
    receipts, problems = ledger.record_many(items, partial=True)
    assert [r.effective_on for r in receipts] == ["2021-03-01"]
    assert not any(r.date_defaulted for r in receipts)
    assert len(problems) == 2


def test_a_receipt_names_no_date_for_facts_a_node_writes_for_itself(
    store: Store,
) -> None:
    # An enrolment is dated the day the node wrote it: no business date to state.
    # A genesis fact's opening date was given to `init`: its receipt states it.
    street, community = open_node(store, "330211001"), open_node(store, "330211001001")
    key = community.ledger.journal().public_key or ""
    enrolled = street.enroll("330211001001", key)
    assert (enrolled.effective_on, enrolled.date_defaulted) == (None, False)
    genesis = community.ledger.fact(1)
    assert genesis is not None
    assert Receipt.of(genesis).effective_on == "2018-01-01"
    for node in (street, community):
        node.ledger.close()


def test_the_generator_and_the_seed_date_every_fact() -> None:
    generator = Generator(factories.STREET)
    items = [
        *generator.years(2019, 2021, 3, community_codes(factories.STREET.value)),
        generator.registration(date(2020, 3, 1)),
        *(item for items in seed.filings().values() for item in items),
        *seed.street_year(),
        ("PolicyAdopted", seed.policy()),
    ]
    undated_items = [t for t, data in items if data.get("effective_on") is None]
    assert not undated_items

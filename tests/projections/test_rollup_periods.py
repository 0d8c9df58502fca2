"""Roll-ups keep each period's money apart: per period, or only the one asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from domain.errors import InvalidFieldError
from projections.models.rollup import PeriodTotal
from service.node import open_views
from tests.projections.delivery import open_node
from tests.projections.periods import STREET, YUAN, two_years

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store
    from projections.node_views import NodeViews


@pytest.fixture
def street(store: Store) -> Iterator[NodeViews]:
    """招宝山街道 after two years of grades and subsidies."""
    node = open_node(store, STREET)
    node.ledger.record_many(list(enumerate(two_years())))
    views = open_views(store, node.ledger)
    yield views
    views.close()
    node.ledger.close()


def test_money_is_per_period_and_never_summed_across_periods(
    street: NodeViews,
) -> None:
    rollup = street.rollup(street.point(as_of="2024-12-31"))
    assert rollup.period is None
    assert rollup.periods == ["2023", "2024"]
    assert [(t.period, t.count, t.total_fen) for t in rollup.totals.subsidies] == [
        ("2023", 2, YUAN["2023"]),
        ("2024", 2, YUAN["2024"]),
    ]
    # Check no row sums across periods: every subsidy line is one period's.
    [paying] = [c for c in rollup.children if c.subsidies]
    assert paying.code == STREET  # subsidies count where they were decided
    assert {(s.period, s.total_fen) for s in paying.subsidies} == {
        ("2023", YUAN["2023"]),
        ("2024", YUAN["2024"]),
    }


def test_one_period_asked_shows_only_its_money(street: NodeViews) -> None:
    rollup = street.rollup(street.point(as_of="2024-12-31"), period="2024")
    assert (rollup.period, rollup.periods) == ("2024", ["2024"])
    assert rollup.totals.subsidies == [
        PeriodTotal(
            period="2024",
            count=2,
            total_fen=YUAN["2024"],
            by_source={"street": 3600_00, "community": 2400_00},
        )
    ]
    assert all(s.period == "2024" for c in rollup.children for s in c.subsidies)
    # Organizations and grades do not depend on the period asked.
    every = street.rollup(street.point(as_of="2024-12-31"))
    assert [c.organizations for c in rollup.children] == [
        c.organizations for c in every.children
    ]


def test_a_period_is_folded_like_a_subsidy_names_it(street: NodeViews) -> None:
    point = street.point(as_of="2024-12-31")
    assert street.rollup(point, period="２０２３").periods == ["2023"]
    nothing = street.rollup(point, period="2019")
    assert (nothing.periods, nothing.totals.subsidies) == ([], [])


def test_a_period_that_is_no_identifier_is_refused_naming_the_field(
    street: NodeViews,
) -> None:
    point = street.point()
    with pytest.raises(InvalidFieldError, match="space") as found:
        street.rollup(point, period="2024 年")
    assert found.value.field == "period"
    with pytest.raises(InvalidFieldError):
        street.rollup(point, period="2" * 21)


def test_a_period_decided_later_is_absent_at_an_earlier_date(
    street: NodeViews,
) -> None:
    mid = street.rollup(street.point(as_of="2024-06-30"))
    assert [(t.period, t.count, t.total_fen) for t in mid.totals.subsidies] == [
        ("2023", 2, YUAN["2023"]),
        ("2024", 1, 3500_00),
    ]

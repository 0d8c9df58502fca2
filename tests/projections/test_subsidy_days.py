"""The daily sums of live subsidies say what the decisions say, at any date, however
the view caught up — revocations and corrections included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projections import queries, subsidy_days
from projections.stores import Store
from tests.projections.delivery import Stations, deliver, street, views_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from projections.node_views import NodeViews

DATES = ("1990-01-01", "2020-12-31", "2021-06-30", "2022-03-01", "2023-12-31")


@pytest.fixture(scope="module")
def stations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stations]:
    """Two community stations with a varied history (revocations, corrections)."""
    found = Stations(Store(tmp_path_factory.mktemp("stations")), seed=11)
    found.record(80)
    yield found
    found.close()


def both_ways(views: NodeViews, as_of: str) -> tuple[list[Any], list[Any]]:
    """Live subsidies on ``as_of`` from the daily sums, and from the decisions."""
    point = views.point(as_of=as_of)
    summed = views.view.fetch(subsidy_days.ROLLUP, point.params())
    # Check the sums stand where the question does (else the roll-up reads decisions).
    assert summed[0][0] == point.pos
    decided = views.view.fetch(queries.ROLLUP_SUBSIDIES, point.params())

    def plain(rows: list[Any]) -> list[Any]:
        return sorted(tuple(int(v or 0) if i > 2 else v for i, v in enumerate(r))
                      for r in rows)  # fmt: skip

    return plain([row[1:] for row in summed if row[1] is not None]), plain(decided)


@settings(max_examples=10)
@given(cuts=st.lists(st.integers(1, 12), min_size=1, max_size=8))
def test_daily_sums_equal_the_decisions_however_the_view_caught_up(
    stations: Stations, tmp_path_factory: pytest.TempPathFactory, cuts: list[int]
) -> None:
    pages = stations.pages(5)
    store = Store(tmp_path_factory.mktemp("street"))
    node = street(store, stations.keys())
    views = views_of(store, node)
    delivered = 0
    for cut in [*cuts, len(pages)]:
        deliver(node, pages[delivered : delivered + cut])
        delivered += cut
        views.catch_up()
        for day in DATES:
            summed, decided = both_ways(views, day)
            assert summed == decided
    views.close()
    node.ledger.close()


@pytest.mark.postgres
def test_daily_sums_equal_the_decisions_on_postgresql(
    stations: Stations, pg_store: Store
) -> None:
    pages = stations.pages(5)
    node = street(pg_store, stations.keys())
    views = views_of(pg_store, node)
    for start in range(0, len(pages), 7):
        deliver(node, pages[start : start + 7])
        views.catch_up()
    views.rebuild()
    for day in DATES:
        summed, decided = both_ways(views, day)
        assert summed == decided
    views.close()
    node.ledger.close()

"""Views are pure functions of the facts: incremental = rebuilt, any arrival order,
any store, and as of any past point."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.values import utc_instant
from infrastructure.stores import Store
from tests.projections.delivery import (
    Stations,
    deliver,
    interleave,
    street,
    views_of,
)

if TYPE_CHECKING:
    from domain.node_sync import NodeSync


def fresh_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("street"))


def digest_of(
    store: Store, node: NodeSync, as_of: str | None = None, known_at: str | None = None
) -> str:
    views = views_of(store, node)
    try:
        return views.digest(views.point(as_of, known_at))
    finally:
        views.close()


@settings(max_examples=8)
@given(size=st.integers(3, 40), order=st.lists(st.integers(0, 1), max_size=40))
def test_views_do_not_depend_on_the_arrival_interleaving_of_origins(
    stations: Stations,
    tmp_path_factory: pytest.TempPathFactory,
    size: int,
    order: list[int],
) -> None:
    pages = stations.pages(size)
    one, other = fresh_store(tmp_path_factory), fresh_store(tmp_path_factory)
    a, b = street(one, stations.keys()), street(other, stations.keys())
    deliver(a, pages)  # every page of the first station, then the second's
    deliver(b, interleave(pages, order))
    # Check the same facts, in another interleaving, give the same views.
    assert digest_of(one, a) == digest_of(other, b)
    a.ledger.close()
    b.ledger.close()


@settings(max_examples=8)
@given(cuts=st.lists(st.integers(1, 30), min_size=1, max_size=6))
def test_an_incrementally_kept_view_equals_a_rebuilt_one(
    stations: Stations, tmp_path_factory: pytest.TempPathFactory, cuts: list[int]
) -> None:
    pages = stations.pages(7)
    store = fresh_store(tmp_path_factory)
    node = street(store, stations.keys())
    views = views_of(store, node)
    delivered = 0
    for cut in cuts:  # the view catches up after each delivery
        deliver(node, pages[delivered : delivered + cut])
        delivered += cut
        views.catch_up()
    deliver(node, pages[delivered:])
    incremental = views.digest(views.point())
    views.rebuild_unverified()
    # Check processing in steps left exactly what processing at once leaves.
    assert views.digest(views.point()) == incremental
    views.close()
    node.ledger.close()


def test_a_view_known_at_an_instant_equals_a_node_that_knew_only_that(
    stations: Stations, tmp_path_factory: pytest.TempPathFactory
) -> None:
    pages = stations.pages(10)
    half = len(pages) // 2
    store = fresh_store(tmp_path_factory)
    node = street(store, stations.keys())
    deliver(node, pages[:half])
    time.sleep(0.002)
    instant = utc_instant_now()
    time.sleep(0.002)
    deliver(node, pages[half:])
    partial_store = fresh_store(tmp_path_factory)
    partial = street(partial_store, stations.keys())
    deliver(partial, pages[:half])
    # Check what the street knew then is what a street that got only that holds.
    assert digest_of(store, node, known_at=instant) == digest_of(partial_store, partial)
    assert digest_of(store, node, known_at=instant) != digest_of(store, node)
    node.ledger.close()
    partial.ledger.close()


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_identical_views(
    stations: Stations, tmp_path_factory: pytest.TempPathFactory, pg_store: Store
) -> None:
    pages = stations.pages(25)
    lite = fresh_store(tmp_path_factory)
    a, b = street(lite, stations.keys()), street(pg_store, stations.keys())
    deliver(a, pages)
    deliver(b, pages)
    for point in ({}, {"as_of": "2021-06-30"}, {"as_of": "2023-12-31"}):
        assert digest_of(lite, a, **point) == digest_of(pg_store, b, **point)
    a.ledger.close()
    b.ledger.close()


def utc_instant_now() -> str:
    from datetime import UTC, datetime

    return utc_instant(datetime.now(UTC))

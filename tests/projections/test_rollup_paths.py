"""The roll-up's short cuts say what the long way says: the daily sums of live
subsidies what the decisions say (at any date, however the view caught up,
revocations and corrections included), and the brief organizations and grade classes
what the registry's full merge holds."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.grades import shipped_schemes
from infrastructure.stores import Store
from projections import queries, subsidy_days
from tests.projections.delivery import Stations, deliver, street, views_of

if TYPE_CHECKING:
    from projections.models.registry import GradeHeld
    from projections.node_views import NodeViews

DATES = ("1990-01-01", "2020-12-31", "2021-06-30", "2022-03-01", "2023-12-31")


def grade_class(grade: GradeHeld) -> str:
    """An evaluation's class in a roll-up, from the registry's reading of it (the
    rule the roll-up's queries spell in SQL)."""
    if not grade.passed:
        return "not_passed"
    return "expired" if grade.expired else str(grade.grade)


def both_ways(views: NodeViews, as_of: str) -> tuple[list[Any], list[Any]]:
    """Live subsidies on ``as_of`` from the daily sums, and from the decisions."""
    point = views.point(as_of=as_of)
    summed = views.view.fetch(subsidy_days.ROLLUP, point.params())
    # Check the sums answer this point (else the roll-up would read the decisions).
    assert max(summed[0][0] or 0, summed[0][1] or 0) <= point.pos
    decided = views.view.fetch(queries.ROLLUP_SUBSIDIES, point.params())

    def plain(rows: list[Any]) -> list[Any]:
        return sorted(tuple(int(v or 0) if i > 2 else v for i, v in enumerate(r))
                      for r in rows)  # fmt: skip

    return plain([row[2:] for row in summed if row[2] is not None]), plain(decided)


def assert_sums_agree(views: NodeViews) -> None:
    """Check the daily sums and the decisions agree on every date of ``DATES``."""
    for day in DATES:
        summed, decided = both_ways(views, day)
        assert summed == decided


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
        assert_sums_agree(views)
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
    views.rebuild_unverified()
    assert_sums_agree(views)
    views.close()
    node.ledger.close()


def expected_counts(views: NodeViews, as_of: str) -> tuple[Counter[Any], Counter[Any]]:
    """Organizations and grade classes per community from the registry's full
    merge — the roll-up's brief path must count the same."""
    point = views.point(as_of=as_of)
    schemes = shipped_schemes()
    orgs, grades = Counter[Any](), Counter[Any]()
    used = {s for org in views.registry(point) for s in org.grades}
    for org in views.registry(point):
        home = org.home[:12]
        orgs[home, org.status, org.legal_form, bool(org.upgraded_on)] += 1
        for key in used:
            if schemes[key].applies_to == org.status:
                grade = org.grades.get(key)
                kind = grade_class(grade) if grade else "ungraded"
                grades[home, key, kind] += 1
    return orgs, grades


def rolled_up(views: NodeViews, as_of: str) -> tuple[Counter[Any], Counter[Any]]:
    """The same counts from the roll-up per community."""
    found = views.rollup(views.point(as_of=as_of), communities=True)
    orgs, grades = Counter[Any](), Counter[Any]()
    for child in found.children:
        counts = child.organizations
        for form, n in counts.registered.items():
            if n:
                orgs[child.code, "registered", form] += n
        for status in ("filed", "deregistered", "revoked"):
            if getattr(counts, status):
                orgs[child.code, status] += getattr(counts, status)
        orgs[child.code, "upgrades"] += counts.upgrades
        for key, classes in child.grades.items():
            for kind, n in classes.items():
                grades[child.code, key, kind] += n
    return +orgs, grades


def test_the_rollup_counts_what_the_registry_holds(
    stations: Stations, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = Store(tmp_path_factory.mktemp("street"))
    node = street(store, stations.keys())
    deliver(node, stations.pages(5))
    views = views_of(store, node)
    views.catch_up()
    expiries = views.view.fetch(
        "SELECT DISTINCT valid_until FROM {view_grades} WHERE valid_until IS NOT NULL",
        {},
    )
    # Check on the days grades expire too: the boundary is where classes change.
    for day in (*DATES, *sorted(row[0] for row in expiries)[:8]):
        orgs, grades = expected_counts(views, day)
        reshaped = Counter[Any]()
        for (home, status, form, upgraded), n in orgs.items():
            key = (home, status, form or "unknown") if status == "registered" else (
                home, status)  # fmt: skip
            reshaped[key] += n
            reshaped[home, "upgrades"] += n if upgraded else 0
        assert rolled_up(views, day) == (+reshaped, grades)
    views.close()
    node.ledger.close()

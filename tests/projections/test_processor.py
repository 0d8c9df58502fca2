"""Keeping views: exactly once through crashes; business dates and knowledge times."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from domain.values import today_in_china, utc_instant
from projections import sqlite_view
from projections.models.registry import Organization, SubsidyCount
from projections.postgres_view import PostgresViewTransaction
from projections.processor import Reviser
from projections.sqlite_view import SQLiteViewTransaction
from projections.view import Point
from service.node import open_views
from tests.projections.delivery import busy_community, open_node, synced
from tests.projections.scenario import Clerk

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.stores import Store

COMMUNITY, STREET = "330211001001", "330211001"


class PowerCutError(RuntimeError):
    """The process dies here."""


@pytest.mark.parametrize("where", ["track", "revise"])
def test_a_crash_mid_update_leaves_the_view_as_it_was_and_the_next_run_completes(
    store: Store, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    node = busy_community(store)
    views = open_views(store, node.ledger)
    views.catch_up()
    everything = Point(today_in_china().isoformat())  # every row, no catching up
    before = (views.view.position(), views.digest(everything))
    Clerk(node.ledger, seed=4).act("file")
    for kind in ("grade", "subsidy", "revoke", "correct_grade", "correct_subsidy"):
        Clerk(node.ledger, seed=5).act(kind)

    def die(*args: Any, **kwargs: Any) -> None:
        raise PowerCutError("power cut")

    if where == "track":
        backend = (
            PostgresViewTransaction if store.database_url else SQLiteViewTransaction
        )
        monkeypatch.setattr(backend, "track", die)
    else:
        monkeypatch.setattr(Reviser, "revise", die)
    with pytest.raises(PowerCutError):
        views.catch_up()
    monkeypatch.undo()
    # Check nothing of the failed step is there: not its rows, not its position.
    assert (views.view.position(), views.digest(everything)) == before
    views.catch_up()
    incremental = views.digest(views.point())
    views.rebuild_unverified()
    assert views.digest(views.point()) == incremental
    views.close()
    node.ledger.close()


def test_views_answer_for_business_dates_and_knowledge_times(store: Store) -> None:
    node = open_node(store, COMMUNITY)
    ledger = node.ledger
    filed = ledger.record(
        "OrganizationFiled",
        {"filing_number": "镇民备2020001号", "name": "城东舞蹈队",
         "category": "文体活动", "effective_on": "2020-03-01"},
    )  # fmt: skip
    org = filed.org_id
    assert org is not None
    graded = ledger.record(
        "GradeEvaluated",
        {"org": org, "scheme": "class", "grade": "一类", "effective_on": "2020-11-20"},
    )
    decided = ledger.record(
        "SubsidyDecided",
        {"org": org, "program": "日常活动补助", "period": "2020", "amount": "3500",
         "shares": {"street": "2100", "community": "1400"}, "grade_scheme": "class",
         "grade": "一类", "effective_on": "2020-12-15"},
    )  # fmt: skip
    ledger.record(
        "SubsidyRevoked",
        {
            "decision_seq": decided.seq,
            "reason": "活动未开展",
            "effective_on": "2021-03-01",
        },
    )
    time.sleep(0.002)
    before_correction = utc_instant(datetime.now(UTC))
    time.sleep(0.002)
    ledger.record(
        "FactCorrected",
        {
            "corrects_seq": graded.seq,
            "reason": "评分复核",
            "replacement": {"grade": "二类"},
        },
    )
    views = open_views(store, ledger)

    def state(as_of: str, known_at: str | None = None) -> Organization:
        [found] = views.registry(views.point(as_of=as_of, known_at=known_at))
        return found

    assert views.registry(views.point(as_of="2020-02-01")) == []  # not filed yet
    in_2020 = state("2020-12-31")
    assert in_2020.status == "filed"
    assert in_2020.grades["class"].grade == "二类"  # corrected, retroactively
    assert in_2020.subsidies == SubsidyCount(count=1, total_fen=350_000)
    assert state("2020-12-31", before_correction).grades["class"].grade == "一类"
    assert state("2021-06-30").subsidies == SubsidyCount(
        count=0, total_fen=0
    )  # revoked
    assert state("2021-12-01").grades["class"].expired is True
    rollup = views.rollup(views.point(as_of="2021-12-01"))
    assert rollup.children[0].grades == {"class": {"expired": 1}}
    detail = views.organization("镇民备2020001号", views.point())
    assert [f.type for f in detail.timeline] == [
        "OrganizationFiled",
        "GradeEvaluated",  # once: the corrected version
        "SubsidyDecided",
        "SubsidyRevoked",
        "FactCorrected",  # in force order: the correction was recorded today
    ]
    assert detail.subsidy_decisions[0].revoked_on == "2021-03-01"
    views.close()
    ledger.close()


def test_an_organization_has_one_timeline_across_origins(store: Store) -> None:
    community, street = synced(store)
    views = open_views(store, street.ledger)  # the street's rules now see the filing
    street.ledger.record(
        "GradeEvaluated",
        {"org": f"{COMMUNITY}:备1", "scheme": "class", "grade": "二类",
         "effective_on": "2022-11-20"},
    )  # fmt: skip
    detail = views.organization(f"{COMMUNITY}:备1", views.point(as_of="2022-12-01"))
    assert [(f.origin, f.type) for f in detail.timeline] == [
        (COMMUNITY, "OrganizationFiled"),
        (STREET, "GradeEvaluated"),
    ]
    assert detail.grades["class"].by == STREET
    assert views.organization("备1", views.point()).org_id == detail.org_id
    views.close()
    community.ledger.close()
    street.ledger.close()


def test_a_rebuild_whose_second_connection_fails_leaves_no_scratch_and_recovers(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = busy_community(sqlite_store)
    views = open_views(sqlite_store, node.ledger)
    views.catch_up()
    kept = views.digest(views.point())

    def full_disk(*args: Any, **kwargs: Any) -> None:
        raise OSError("database or disk is full")

    monkeypatch.setattr(sqlite_view, "fill_parts", full_disk)
    with pytest.raises(OSError, match="disk is full"):
        views.rebuild_unverified()
    monkeypatch.undo()
    folder = sqlite_view_path(views).parent
    # Check the scratch file is gone and the emptied view catches up in full again.
    assert not list(folder.glob("*.rebuild-*"))
    assert views.view.position() == 0
    assert views.digest(views.point()) == kept
    views.close()
    node.ledger.close()


def sqlite_view_path(views: Any) -> Path:
    """Where a SQLite view keeps its file."""
    path: Path = views.view.path
    return path

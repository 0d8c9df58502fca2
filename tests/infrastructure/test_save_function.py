"""A save of a few facts on PostgreSQL is one statement (decision 0047): the same
rows as the library's steps, and nothing kept when any part of it fails."""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, ProgrammingError, Tracking

from domain.ledger_reads import HEAD
from infrastructure import save_function
from infrastructure.recorders import HeadTrackingRecorder
from tests.factories import COMMUNITY, filing, open_node

if TYPE_CHECKING:
    from domain.application import Ledger
    from infrastructure.stores import Store

pytestmark = pytest.mark.postgres


def rows(store: Store, ledger: Ledger) -> tuple[int, int | None, int]:
    """Events stored, the head's tracked position, answered requests."""
    assert store.database_url is not None
    schema = store.schema(COMMUNITY)
    with psycopg.connect(store.database_url) as conn:
        events = conn.execute(
            f'SELECT count(*) FROM "{schema}".ledger_events'
        ).fetchone()
        head = conn.execute(
            f'SELECT notification_id FROM "{schema}".ledger_tracking '
            "WHERE application_name = %s",
            (HEAD,),
        ).fetchone()
        answered = conn.execute(
            f'SELECT count(*) FROM "{schema}".answered_requests'
        ).fetchone()
    assert events
    assert answered
    return events[0], head[0] if head else None, answered[0]


def test_a_save_stores_its_facts_head_and_answered_request(pg_store: Store) -> None:
    ledger = open_node(pg_store)
    recorder = ledger.process_recorder
    assert isinstance(recorder, HeadTrackingRecorder)
    receipt = ledger.record(
        "OrganizationFiled", filing("备1"), request_key="key-1", actor="cli:clerk"
    )
    assert rows(pg_store, ledger) == (2, 2, 1)
    assert recorder.recall_request("key-1") is not None
    assert (
        ledger.record(
            "OrganizationFiled", filing("备1"), request_key="key-1", actor="cli:clerk"
        )
        == receipt
    )
    ledger.close()


def test_a_save_that_fails_in_its_last_step_keeps_nothing(pg_store: Store) -> None:
    ledger = open_node(pg_store)
    ledger.record("OrganizationFiled", filing("备1"), request_key="key-1")
    before = rows(pg_store, ledger)
    stored = list(ledger.process_recorder.select_events(ledger.journal_id, gt=1))
    # The head and a new request come before the events, which collide on seq 2.
    with pytest.raises(IntegrityError):
        ledger.process_recorder.insert_events(
            stored,
            tracking=Tracking(HEAD, 3),
            requests=[("key-2", "digest", 2, 2)],
        )
    assert rows(pg_store, ledger) == before
    ledger.close()


def test_a_small_save_goes_through_the_function(pg_store: Store) -> None:
    ledger = open_node(pg_store)
    assert pg_store.database_url is not None
    with psycopg.connect(pg_store.database_url, autocommit=True) as conn:
        conn.execute(
            f'DROP FUNCTION "{pg_store.schema(COMMUNITY)}".{save_function.FUNCTION}'
        )
    with pytest.raises(ProgrammingError, match=save_function.FUNCTION):
        ledger.record("OrganizationFiled", filing("备1"))
    ledger.close()
    reopened = pg_store.open_ledger(COMMUNITY)  # opening creates it again
    assert reopened.record("OrganizationFiled", filing("备1")).seq == 2
    reopened.close()

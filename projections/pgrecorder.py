"""A PostgreSQL process recorder tuned for the ledger's head tracking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from eventsourcing.postgres import PostgresProcessRecorder

if TYPE_CHECKING:
    from eventsourcing.persistence import Tracking
    from psycopg import Cursor
    from psycopg.rows import DictRow


class HeadTrackingRecorder(PostgresProcessRecorder):
    """Records the journal's head with its events, without an extra round trip.

    The library fetches the tracking upsert's RETURNING row to detect a position
    that did not advance, which forces a pipeline sync per save. The ledger needs no
    such check: the events' primary key (originator_id, originator_version) already
    refuses a repeated seq in the same transaction, so the head can only advance.
    """

    def _insert_tracking(self, curs: Cursor[DictRow], tracking: Tracking) -> None:
        curs.execute(
            query=self.insert_tracking_statement,
            params={
                "application_name": tracking.application_name,
                "notification_id": tracking.notification_id,
            },
            prepare=True,
        )

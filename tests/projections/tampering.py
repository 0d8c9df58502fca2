"""Direct edits of a node's stored rows, as an intruder with database access would."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

import psycopg
from psycopg import sql

from domain.identity import journal_id

if TYPE_CHECKING:
    from domain.codes import NodeCode
    from infrastructure.stores import Store


@dataclass(frozen=True)
class Row:
    version: int
    topic: str
    state: bytes


class Tamperer:
    """Reads and rewrites a node's stored events on SQLite or PostgreSQL."""

    def __init__(
        self, store: Store, node: NodeCode, origin: NodeCode | None = None
    ) -> None:
        """Rows of ``origin``'s journal (the node's own by default) in the node's
        store: a parent holds its descendants' journals too."""
        self.store, self.node = store, node
        self.origin = origin or node
        self.id_hex = journal_id(self.origin).hex
        self.url = store.database_url

    def rows(self) -> list[Row]:
        query = (
            "SELECT originator_version, topic, state FROM {t} "
            "WHERE originator_id = {p} ORDER BY 1"
        )
        return [
            Row(v, t, bytes(s)) for v, t, s in self._run(query, self._id(), fetch=True)
        ]

    def set_state(self, version: int, state: bytes) -> None:
        self._run(
            "UPDATE {t} SET state = {p} "
            "WHERE originator_id = {p} AND originator_version = {p}",
            state,
            self._id(),
            version,
        )

    def snapshot_state(self) -> bytes:
        """The stored state of the journal's latest snapshot."""
        query = "SELECT state FROM {s} WHERE originator_id = {p} ORDER BY "
        query += "originator_version DESC LIMIT 1"
        return bytes(self._run(query, self._id(), fetch=True)[0][0])

    def set_snapshot(self, version: int, state: bytes) -> None:
        """Overwrite the stored state of the journal's snapshot at ``version``."""
        self._run(
            "UPDATE {s} SET state = {p} "
            "WHERE originator_id = {p} AND originator_version = {p}",
            state,
            self._id(),
            version,
        )

    def set_topic(self, version: int, topic: str) -> None:
        self._run(
            "UPDATE {t} SET topic = {p} "
            "WHERE originator_id = {p} AND originator_version = {p}",
            topic,
            self._id(),
            version,
        )

    def set_version(self, version: int, new: int) -> None:
        self._run(
            "UPDATE {t} SET originator_version = {p} WHERE originator_id = {p} "
            "AND originator_version = {p}",
            new,
            self._id(),
            version,
        )

    def set_originator(self, version: int, originator_hex: str) -> None:
        value = originator_hex if self.url is None else str(UUID(originator_hex))
        self._run(
            "UPDATE {t} SET originator_id = {p} WHERE originator_id = {p} "
            "AND originator_version = {p}",
            value,
            self._id(),
            version,
        )

    def delete(self, version: int) -> None:
        self._run(
            "DELETE FROM {t} WHERE originator_id = {p} AND originator_version = {p}",
            self._id(),
            version,
        )

    def truncate(self, after: int) -> None:
        """Delete the journal's facts and snapshots after seq ``after`` and lower the
        recorded head to it: a tail deletion, or an older backup restored."""
        for table in ("{t}", "{s}"):
            self._run(
                f"DELETE FROM {table} WHERE originator_id = {{p}} "
                "AND originator_version > {p}",
                self._id(),
                after,
            )
        self._run(
            "UPDATE {h} SET notification_id = {p} WHERE application_name = 'head'",
            after,
        )

    def _id(self) -> str:
        return self.id_hex if self.url is None else str(journal_id(self.origin))

    def _run(self, template: str, *params: object, fetch: bool = False) -> list[Any]:
        if self.url is None:
            path = self.store.node_dir(self.node) / "ledger.sqlite"
            names = {"t": "stored_events", "s": "stored_snapshots", "h": "tracking"}
            with sqlite3.connect(path) as conn:
                cur = conn.execute(template.format(p="?", **names), params)
                return cur.fetchall() if fetch else []
        schema = self.store.schema(self.node)
        tables = {
            key: sql.Identifier(schema, f"ledger_{name}")
            for key, name in (("t", "events"), ("s", "snapshots"), ("h", "tracking"))
        }
        query = sql.SQL(template.format(t="{t}", s="{s}", h="{h}", p="%s")).format(
            **tables
        )
        with psycopg.connect(self.url, autocommit=True) as pg:
            rows = pg.execute(query, params)
            return rows.fetchall() if fetch else []

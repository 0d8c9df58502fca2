"""How a fact is kept in the event store: its wire document, from its canonical bytes.

The library's default mapper would JSON-encode every fact a second time (after the
canonical encoding the hash needs) and decode it through a per-object hook. A fact's
stored state is instead its document (``domain.wire``): the chain links followed by
the canonical bytes' keys,

    {"hash":"<hex>","prev_hash":"<hex>","actor":..,"node":..,"payload":..,
     "recorded_at":..,"seq":..,"type":..}

(``actor`` only in a fact that names one), so storing costs a byte concatenation,
reading costs one ``orjson.loads``, and the feed can serve the stored document as it
is. Journal snapshots, plain data by design, are JSON too: lines, packed
(``domain.snapshot_packing``).
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from domain.errors import UnreadableSnapshotError
from domain.facts import JOURNAL_TOPIC, Fact, build_fact
from domain.journal import Journal
from domain.snapshot_packing import pack_document, unpack_document
from domain.state import ValueSharing

if TYPE_CHECKING:
    from eventsourcing.domain import DomainEventProtocol


@functools.cache
def fact_classes() -> dict[str, type[Fact]]:
    """Stored topic -> fact class, for every fact type a journal can hold."""
    found: dict[str, type[Fact]] = {}
    for name in dir(Journal):
        cls = getattr(Journal, name)
        if isinstance(cls, type) and issubclass(cls, Fact):
            found[get_topic(cls)] = cls
    return found


def stored_state(fact: Fact) -> bytes:
    """The stored document of a fact: its chain links, then its canonical keys."""
    canonical = memoryview(fact.canonical())
    return b"".join(
        (
            b'{"hash":"',
            fact.hash.encode("ascii"),
            b'","prev_hash":"',
            fact.prev_hash.encode("ascii"),
            b'",',
            canonical[1:],
        )
    )


LINKS_LENGTH = len('{"hash":"","prev_hash":"",') + 2 * 64
"""Bytes of a stored document before its canonical keys: the chain links (two
SHA-256 digests in hex). ``b"{" + state[LINKS_LENGTH:]`` is the fact's canonical
bytes, which is all a view needs to parse."""


def decode_state(cls: type[Fact], originator_id: UUID, seq: int, state: bytes) -> Fact:
    """A fact from its stored document; envelope fields come from the row itself.

    The row's own id and seq are used, not the document's, so a row moved or
    renumbered in the store no longer re-encodes to its stored bytes.
    """
    doc: dict[str, Any] = orjson.loads(state)
    fields: dict[str, Any] = dict(doc["payload"])
    fields["node"] = doc["node"]
    fields["prev_hash"] = doc["prev_hash"]
    fields["hash"] = doc["hash"]
    # Absent from facts kept before actors were: they re-encode without one.
    fields["actor"] = doc.get("actor")
    timestamp = datetime.fromisoformat(doc["recorded_at"])
    return build_fact(cls, originator_id, seq, timestamp, fields)


def snapshot_document(snapshot: Snapshot) -> dict[str, Any]:
    """A journal snapshot as the document stored (its state is plain data)."""
    return {
        "timestamp": snapshot.timestamp,
        "topic": snapshot.topic,
        "state": snapshot.state,
    }


def decode_snapshot(originator_id: UUID, version: int, doc: dict[str, Any]) -> Snapshot:
    """A journal snapshot from its document; the instants become datetimes again."""
    journal_state: dict[str, Any] = doc["state"]
    for key in _SNAPSHOT_INSTANTS:
        journal_state[key] = datetime.fromisoformat(journal_state[key])
    snapshot = object.__new__(Snapshot)
    object.__setattr__(
        snapshot,
        "__dict__",
        {
            "originator_id": originator_id,
            "originator_version": version,
            "timestamp": datetime.fromisoformat(doc["timestamp"]),
            "topic": doc["topic"],
            "state": journal_state,
        },
    )
    return snapshot


_SNAPSHOT_INSTANTS = ("_created_on", "_modified_on")
"""The only non-JSON values in a journal's state (the library's own attributes)."""
SNAPSHOT_TOPIC = get_topic(Snapshot)


class FactMapper(Mapper[UUID]):
    """Stores facts as their documents and journal snapshots as packed JSON lines."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        """A fact's stored document (compressed and encrypted if so configured)."""
        if isinstance(domain_event, Fact):
            state = stored_state(domain_event)
        elif isinstance(domain_event, Snapshot) and domain_event.topic == JOURNAL_TOPIC:
            state = pack_document(snapshot_document(domain_event))
        else:
            return super().to_stored_event(domain_event)
        if self.compressor:
            state = self.compressor.compress(state)
        if self.cipher:
            state = self.cipher.encrypt(state)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=state,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        """The fact (or snapshot) a stored row holds."""
        originator_id = stored_event.originator_id
        if not isinstance(originator_id, UUID):
            originator_id = UUID(originator_id)
        version = stored_event.originator_version
        if stored_event.topic == SNAPSHOT_TOPIC:
            try:
                plain = self.plain_state(stored_event)
                document = unpack_document(plain, ValueSharing())
                return decode_snapshot(originator_id, version, document)
            except (ValueError, KeyError, TypeError) as error:  # the instants too
                raise UnreadableSnapshotError(version) from error
        cls = fact_classes().get(stored_event.topic)
        if cls is None:
            return super().to_domain_event(stored_event)
        return decode_state(cls, originator_id, version, self.plain_state(stored_event))

    def plain_state(self, stored_event: StoredEvent) -> bytes:
        """A row's state, decrypted and decompressed: for facts, the document."""
        return self.plain_bytes(bytes(stored_event.state))

    def plain_bytes(self, state: bytes) -> bytes:
        """Stored bytes, decrypted and decompressed if so configured."""
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        return state

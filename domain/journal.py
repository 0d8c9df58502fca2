"""The Journal aggregate: one per node; its version is the seq of its last fact."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Aggregate

from domain import facts
from domain.actor import parse_actor
from domain.canonical import GENESIS_HASH, canonical_bytes, chain_hash
from domain.catalogue import FACT_TYPES
from domain.fact_types import ledger_opened
from domain.identity import journal_id
from domain.network_commands import NetworkCommands
from domain.rules import OrganizationRules
from domain.stored_check import check_stored_payload
from domain.values import utc_instant

if TYPE_CHECKING:
    from datetime import datetime

    from domain.codes import NodeCode
    from domain.ports import HeldOrganizations
    from domain.state import FactRef, OrgState, SubsidyState


class Journal(OrganizationRules, NetworkCommands, Aggregate):
    """A node's own facts, hash-chained, with the state its invariants need."""

    # Named for the type checker: the journal and the application create with it.
    LedgerOpened = ledger_opened.LedgerOpened
    # Every other fact type of the catalogue, put in the class body's namespace: the
    # library re-declares each event class it finds there inside the aggregate, so
    # each stored topic reads domain.journal:Journal.<FactType> (decision 0023).
    locals().update(
        {name: t.cls for name, t in FACT_TYPES.items() if name != "LedgerOpened"}
    )

    class_version = 2
    """Version 2 leaves each organization's details out of its state (decision 0048)."""

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """A version 1 snapshot's state without the details (read from facts now)."""
        for org in state["orgs"].values():
            org.pop("details", None)

    def __init__(self) -> None:
        self.node = ""
        self.node_name = ""
        self.public_key: str | None = None
        self.head_hash = GENESIS_HASH
        self.orgs: dict[str, OrgState] = {}
        self.usccs: dict[str, str] = {}
        self.filings: dict[str, str] = {}
        self.subsidies: dict[str, SubsidyState] = {}
        self.live_subsidies: dict[str, int] = {}
        self.refs: dict[str, FactRef] = {}
        self.evaluations: dict[str, int] = {}
        self.children: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.origins: dict[str, dict[str, Any]] = {}
        self.feed_positions: dict[str, int] = {}
        self.forks: dict[str, dict[str, Any]] = {}
        self.last_checkpoint = 0
        self.since_checkpoint: list[str] = []
        """Hash prefixes of the facts since the last checkpoint (its next span)."""

    @classmethod
    def open(
        cls,
        node: NodeCode,
        name: str,
        public_key: str | None,
        effective_on: str,
        actor: str | None = None,
    ) -> Journal:
        """Start a node's journal with its genesis fact (recorded by ``actor``)."""
        timestamp = cls.LedgerOpened.create_timestamp()
        payload: dict[str, Any] = {
            "effective_on": effective_on,
            "node_name": name,
            "tier": node.tier,
            "parent": node.parent.value if node.parent else None,
            "public_key": public_key,
        }
        recorded_at = utc_instant(timestamp)
        # Its parent will check it as it checks every fact it receives.
        check_stored_payload("LedgerOpened", node.value, 1, payload, recorded_at)
        actor = _checked(actor)
        canonical = canonical_bytes(
            node.value, 1, "LedgerOpened", payload, recorded_at, actor=actor
        )
        return cls._create(
            cls.LedgerOpened,
            id=journal_id(node),
            timestamp=timestamp,
            node=node.value,
            prev_hash=GENESIS_HASH,
            hash=chain_hash(GENESIS_HASH, canonical),
            actor=actor,
            **payload,
        )

    def collect_events(self) -> list[facts.Fact]:
        """Take the pending facts (the library pops them one by one, O(n²))."""
        collected, self._pending_events = self._pending_events, []
        return collected  # type: ignore[return-value]

    def record(
        self,
        fact_type: str,
        fields: dict[str, Any],
        timestamp: datetime | None = None,
        held: HeldOrganizations | None = None,
        actor: str | None = None,
    ) -> facts.Fact:
        """Check the rules for one fact, then append it (nothing changes on error).

        ``fields`` (fresh from ``parse_fields``) becomes the fact's payload;
        ``timestamp`` is the recording instant (now, unless a batch shares one);
        ``held`` finds organizations known only from descendants' facts; ``actor``
        is who records it (``domain.actor``).
        """
        rule = FACT_TYPES[fact_type].rule
        assert rule is not None, fact_type  # parse_fields takes clerks' types only
        actor = _checked(actor)  # before the rule: nothing changes on error
        payload = rule(self, fields, held)
        return self._append(getattr(type(self), fact_type), payload, timestamp, actor)

    def _append(
        self,
        cls: type[facts.Fact],
        payload: dict[str, Any],
        timestamp: datetime | None = None,
        actor: str | None = None,
    ) -> facts.Fact:
        # The library re-declares each event class inside the aggregate; use those,
        # so every stored topic reads domain.journal:Journal.<FactType>.
        cls = getattr(type(self), cls.__name__)
        actor = _checked(actor)
        timestamp = timestamp or cls.create_timestamp()
        seq = self.version + 1
        recorded_at = _recorded_at(timestamp)
        if not FACT_TYPES[cls.__name__].inputs:
            # Not a clerk's input: checked as the parent's ingest will check it, so
            # an operator's note or a machine's receipt cannot stop sync upward.
            check_stored_payload(cls.__name__, self.node, seq, payload, recorded_at)
        # Payloads built by the checks are JSON-safe by construction: skip the walk.
        canonical = canonical_bytes(
            self.node, seq, cls.__name__, payload, recorded_at, actor=actor, check=False
        )
        fields = payload  # encoded already; the envelope is added in place
        fields["node"] = self.node
        fields["prev_hash"] = self.head_hash
        fields["hash"] = chain_hash(self.head_hash, canonical)
        fields["actor"] = actor
        fields[facts.CANONICAL_CACHE] = canonical
        # Built directly rather than by trigger_event: same steps, without the data
        # class initialiser's per-field cost on the import path.
        fact = facts.build_fact(cls, self.id, seq, timestamp, fields)
        # What the library's mutate() does, less the id and version checks that
        # hold by construction here.
        fact.apply(self)
        self._version = seq
        self._modified_on = timestamp
        self._pending_events.append(fact)
        return fact


@functools.lru_cache(maxsize=256)
def _checked(actor: str | None) -> str | None:
    """An actor in the one form its parent's ingest accepts (cached: few record)."""
    # A malformed actor would be refused upward for good, as facts never change.
    return None if actor is None else parse_actor(actor)


@functools.lru_cache(maxsize=4)
def _recorded_at(timestamp: datetime) -> str:
    # A batch shares one instant: format it once.
    return utc_instant(timestamp)

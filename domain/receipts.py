"""What recording gives back: receipts and heads; and what waits to be recorded:
batch items, and clerks' facts in a group commit with their Idempotency-Keys."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import orjson

from domain.actor import parse_actor
from domain.categories import categories_of, category_warnings
from domain.commands import date_given, parse_fields
from domain.errors import LedgerError, RequestKeyReusedError
from domain.messages import Text
from domain.uscc import Uscc

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from domain.facts import Fact
    from domain.journal import Journal

Item = tuple[int, tuple[object, object] | LedgerError]
"""A numbered batch item: (line number, (fact type, data)) or (line number, error)."""


@dataclass(frozen=True, slots=True)
class Receipt:
    """What recording a fact returns: where it landed in the chain, and its date."""

    seq: int
    hash: str
    fact_type: str
    org_id: str | None
    warnings: tuple[Text, ...] = ()
    """Tolerated defects, shown to the clerk in their language; never stored: a
    receipt given again (an Idempotency-Key's retry) derives them again."""
    already_recorded: bool = False
    """The same fact was held already (a re-run): nothing new was recorded."""
    effective_on: str | None = None
    """The business date the fact holds; None for facts a node writes for itself
    (``Fact.business_date``)."""
    date_defaulted: bool = False
    """No ``effective_on`` was given: the fact is dated the day it was recorded."""

    @classmethod
    def of(cls, fact: Fact, *, already_recorded: bool = False) -> Receipt:
        """The receipt of a recorded fact, with what its clerk should check."""
        return cls(
            fact.seq,
            fact.hash,
            fact.fact_type,
            fact.concerns,
            warnings_of(fact),
            already_recorded,
            fact.effective_on if fact.business_date else None,
        )

    def dated_by_default(self) -> Receipt:
        """This receipt of a fact given without its date: flagged, and warning of the
        date it was given instead."""
        if self.date_defaulted:
            return self  # a retry answered by the same request's receipt
        warning = Text(
            "effective_on was not given: the fact is dated {date}, the day it was "
            "recorded (China); if it happened on another day, correct its "
            "effective_on (FactCorrected)",
            date=self.effective_on,
        )
        return replace(self, date_defaulted=True, warnings=(warning, *self.warnings))


def warnings_of(fact: Fact) -> tuple[Text, ...]:
    """Tolerated defects of a fact: its USCC's position 17, an unknown category."""
    state = fact.__dict__
    uscc = state.get("uscc")
    found = [
        # Written as text or Text: the USCC's warnings are templates to come.
        w if isinstance(w, Text) else Text(w)
        for w in (Uscc.parse(uscc).warnings if isinstance(uscc, str) else ())
    ]
    for category in categories_of(state):
        found.extend(category_warnings(category))
    return tuple(found)


@dataclass(frozen=True)
class Head:
    """A node's head: (node, seq, hash) commits to its whole history."""

    node: str
    seq: int
    hash: str


def request_digest(key: str | None, body: object) -> tuple[str, str] | None:
    """(Idempotency-Key, SHA-256 of the request), when a key was given."""
    if key is None:
        return None
    try:
        encoded = orjson.dumps(body, option=orjson.OPT_SORT_KEYS, default=repr)
    except TypeError:  # integers beyond 64 bits: refused later, named by field
        encoded = json.dumps(body, sort_keys=True, default=repr).encode()
    return key, hashlib.sha256(encoded).hexdigest()


Answered = tuple[str, str, int, int]
"""A request answered by a save: (Idempotency-Key, digest, first seq, last seq)."""


def answered_by(
    request: tuple[str, str] | None, before: int, journal: Journal
) -> list[Answered]:
    """The request, as answered by the journal's facts after ``before``."""
    return [] if request is None else [(*request, before + 1, journal.version)]


@dataclass(slots=True, eq=False)
class Pending:
    """One clerk's fact waiting in a group commit, and then its outcome."""

    fact_type: str
    fields: dict[str, Any]
    """As ``parse_fields`` gave them (parsed before the group forms)."""
    request: tuple[str, str] | None = None
    date_defaulted: bool = False
    """The clerk gave no ``effective_on``: ``fields`` hold today's."""
    actor: str | None = None
    """Who records it (``domain.actor``)."""
    receipt: Receipt | None = None
    error: BaseException | None = None
    done: bool = False

    @classmethod
    def of(
        cls,
        fact_type: str,
        data: Mapping[str, object],
        request_key: str | None,
        actor: str | None = None,
    ) -> Pending:
        """A clerk's fact, parsed (a LedgerError names the field)."""
        fields = parse_fields(fact_type, data)
        # The actor is not part of the request: a retry is the same request
        # whoever sends it, as it was before facts named their actor.
        request = request_digest(request_key, [fact_type, data])
        return cls(
            fact_type,
            fields,
            request,
            date_defaulted=not date_given(data),
            actor=None if actor is None else parse_actor(actor),
        )

    def answer(self, receipt: Receipt) -> None:
        """Settle this fact's receipt (flagged if its date was not given)."""
        self.receipt = receipt.dated_by_default() if self.date_defaulted else receipt

    def outcome(self) -> Receipt:
        """Its receipt, once its group is recorded; or the error it met, raised."""
        if self.error is not None:
            raise self.error
        assert self.receipt is not None
        return self.receipt


def answered_in(
    fresh: Sequence[Pending], request: tuple[str, str] | None
) -> list[Receipt] | None:
    """The receipt of an earlier request of the same group with the same key."""
    if request is None:
        return None
    for earlier in fresh:
        if earlier.request and earlier.request[0] == request[0]:
            if earlier.request[1] != request[1]:
                raise RequestKeyReusedError(
                    Text(
                        "this Idempotency-Key was used for another request; use a "
                        "new key for a new request"
                    ),
                    field="Idempotency-Key",
                )
            assert earlier.receipt is not None
            return [earlier.receipt]
    return None

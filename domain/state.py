"""The journal's state: what a node needs in memory to check its invariants.

Plain dicts keyed by text, so snapshots need no custom transcoding.
"""

from __future__ import annotations

import sys
from typing import Any, Required, TypedDict

from domain.messages import Text

FILED = "filed"
REGISTERED = "registered"
DEREGISTERED = "deregistered"
REVOKED = "revoked"
CLOSED = (DEREGISTERED, REVOKED)
STATUS_WORDS = {
    FILED: Text("filed"),
    REGISTERED: Text("registered"),
    DEREGISTERED: Text("deregistered"),
    REVOKED: Text("revoked"),
}
"""An organization's status as a message names it (the stored value is the key)."""


class GradeState(TypedDict):
    """The latest result of one grade scheme for one organization."""

    grade: str
    passed: bool
    evaluated_on: str
    valid_until: str | None
    score: int | None
    seq: int


class OrgState(TypedDict):
    """One organization as this node knows it."""

    org_id: str
    name: str
    status: str
    legal_form: str | None
    uscc: str | None
    filing_number: str | None
    filing_node: str | None
    filing_closed: bool
    community: str | None
    category: str | None
    filed_on: str | None
    registered_on: str | None
    closed_on: str | None
    grades: dict[str, GradeState]
    facts: list[int]


class OrgRecord(OrgState):
    """An organization with what its filing records beyond identity, as corrected.

    The journal's state leaves these details out: its rules never read them, and
    each would cost every organization memory and every snapshot bytes (decision
    0048); they are read from the organization's facts when asked for."""

    details: dict[str, object]


class SubsidyState(TypedDict):
    """One subsidy decision of this node."""

    seq: int
    org_id: str
    program: str
    period: str
    amount_fen: int
    shares: dict[str, int]
    grade_scheme: str | None
    grade: str | None
    decided_on: str
    live: bool


class FactRef(TypedDict, total=False):
    """What a correction needs to know about an earlier fact of this node."""

    type: Required[str]
    org_id: Required[str | None]
    scheme: Required[str | None]
    effective_on: Required[str]
    grade: str
    """An evaluation's grade, as last corrected."""


def new_org(org_id: str, name: str, status: str) -> OrgState:
    """An organization record with nothing but identity, name and status."""
    return OrgState(
        org_id=org_id,
        name=name,
        status=status,
        legal_form=None,
        uscc=None,
        filing_number=None,
        filing_node=None,
        filing_closed=False,
        community=None,
        category=None,
        filed_on=None,
        registered_on=None,
        closed_on=None,
        grades={},
        facts=[],
    )


def shared(text: str | None) -> str | None:
    """The one copy of ``text`` that every organization with this value refers to.

    Communities, categories, legal forms and dates repeat across thousands of
    organizations; each kept once, the state is a fifth smaller."""
    return None if text is None else sys.intern(text)


SHARED_FIELDS = ("status", "legal_form", "filing_node", "community", "category",
                 "filed_on", "registered_on", "closed_on")  # fmt: skip
"""An organization's fields whose values repeat across organizations."""
SHARED_REF_FIELDS = ("type", "scheme", "effective_on", "grade")
"""A fact reference's fields whose values repeat across facts."""


class ValueSharing:
    """Keeps each repeated value of a journal's state once, as recording does,
    while a snapshot is read map by map (``snapshot_packing.unpack_document``).

    Read from a snapshot, every organization's copy of its community or date is
    its own, and so is every copy of its id (in the indexes and references): a
    third of the state."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        """Each organization's id → its one copy (organizations come first)."""

    def __call__(self, key: str, entries: dict[str, Any]) -> None:
        """Share the values of ``entries``, a map of the state or a chunk of one."""
        if key == "orgs":
            self._orgs(entries)
        elif key in ("filings", "usccs"):
            for code, org_id in entries.items():
                entries[code] = self.ids.get(org_id, org_id)
        elif key == "refs":
            ids = self.ids
            for ref in entries.values():
                _share(ref, SHARED_REF_FIELDS)
                ref["org_id"] = ids.get(ref["org_id"], ref["org_id"])

    def _orgs(self, orgs: dict[str, Any]) -> None:
        ids = self.ids
        for org_id, org in orgs.items():
            ids[org_id] = org_id
            if org["org_id"] == org_id:
                org["org_id"] = org_id
            _share(org, SHARED_FIELDS)


def _share(record: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        value = record.get(key)
        if value.__class__ is str:  # anything else is left for verify to find
            record[key] = sys.intern(value)


def subsidy_key(org_id: str, program: str, period: str) -> str:
    """The key under which at most one live subsidy may exist."""
    return f"{org_id}|{program}|{period}"

"""SubsidyRevoked: a subsidy decision of this node withdrawn."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain import inputs
from domain.definition import FactType
from domain.errors import UnknownFactError
from domain.facts import Fact
from domain.inputs import FieldSpec
from domain.messages import Text
from domain.rules import complete
from domain.state import subsidy_key
from domain.stored_fields import clerk_fields, stored_earlier, stored_uuid

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.stored_fields import Stored


class SubsidyRevoked(Fact):
    """A subsidy decision of this node withdrawn; the decision itself stays recorded."""

    decision_seq: int
    org_id: str
    reason: str

    correctable: ClassVar[frozenset[str]] = frozenset({"reason", "effective_on"})

    def evolve(self, journal: Journal) -> None:
        subsidy = journal.subsidies[str(self.decision_seq)]
        subsidy["live"] = False
        key = subsidy_key(subsidy["org_id"], subsidy["program"], subsidy["period"])
        journal.live_subsidies.pop(key, None)


def check(
    journal: OrganizationRules, f: dict[str, Any], held: HeldOrganizations | None
) -> dict[str, Any]:
    """A live subsidy decision of this node."""
    # Revoking stays possible after deregistration: it stops money, it pays none.
    seq = f["decision_seq"]
    subsidy = journal.subsidies.get(str(seq))
    if subsidy is None:
        raise UnknownFactError(
            Text(
                "seq {seq} is not a subsidy decision of node {node}",
                seq=seq,
                node=journal.node,
            ),
            field="decision_seq",
        )
    if not subsidy["live"]:
        raise UnknownFactError(
            Text("the subsidy of seq {seq} is already revoked", seq=seq),
            field="decision_seq",
        )
    f["org_id"] = subsidy["org_id"]
    return complete(SubsidyRevoked, f)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A clerk's fields, an earlier decision, an org_id."""
    clerk_fields(FACT_TYPE, p, stored)
    stored_earlier("payload.decision_seq", p["decision_seq"], stored)
    stored_uuid(p["org_id"], "payload.org_id")


FACT_TYPE = FactType(
    SubsidyRevoked,
    check_stored,
    inputs=(
        FieldSpec("decision_seq", "decision_seq", inputs.seq, required=True),
        FieldSpec("reason", "reason", inputs.text(500), required=True),
        inputs.DATE,
    ),
    rule=check,
)

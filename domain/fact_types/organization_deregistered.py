"""OrganizationDeregistered: deregistered (注销) or its registration revoked (撤销)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain import inputs
from domain.corrections import org_correction
from domain.definition import FactType
from domain.facts import Fact
from domain.inputs import FieldSpec
from domain.rules import complete
from domain.stored_fields import clerk_fields, stored_uuid

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.stored_fields import Stored

OUTCOMES = ("deregistered", "revoked")


class OrganizationDeregistered(Fact):
    """An organization deregistered (注销) or its registration revoked (撤销)."""

    org_id: str
    outcome: str
    reason: str | None

    correctable: ClassVar[frozenset[str]] = frozenset({"reason", "effective_on"})

    def evolve(self, journal: Journal) -> None:
        if self.org_id in journal.orgs:  # else held only through descendants' facts
            journal.orgs[self.org_id].update(
                {"status": self.outcome, "closed_on": self.effective_on}
            )


def check(
    journal: OrganizationRules, f: dict[str, Any], held: HeldOrganizations | None
) -> dict[str, Any]:
    """An open organization; deregistered unless the outcome says revoked."""
    org = journal.open_org(f.pop("org"), held)
    f.setdefault("outcome", "deregistered")
    f["org_id"] = org["org_id"]
    return complete(OrganizationDeregistered, f)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A clerk's fields and an org_id."""
    clerk_fields(FACT_TYPE, p, stored)
    stored_uuid(p["org_id"], "payload.org_id")


FACT_TYPE = FactType(
    OrganizationDeregistered,
    check_stored,
    inputs=(
        inputs.ORG,
        FieldSpec("outcome", "outcome", inputs.choice(OUTCOMES)),
        FieldSpec("reason", "reason", inputs.optional_text()),
        inputs.DATE,
    ),
    rule=check,
    on_correction=org_correction("closed_on"),
    defaulted=frozenset({"outcome"}),
)

"""OrganizationUpgraded: the filing node marks its filing registered (已转登记)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain import inputs
from domain.corrections import org_correction
from domain.definition import FactType
from domain.errors import UpgradeNotAllowedError
from domain.facts import Fact
from domain.inputs import FieldSpec
from domain.messages import Text
from domain.rules import check_uscc_form, complete
from domain.state import REGISTERED
from domain.stored_fields import clerk_fields, stored_rule, stored_uuid

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.stored_fields import Stored


class OrganizationUpgraded(Fact):
    """The filing node marks its filed organization registered (已转登记)."""

    org_id: str
    uscc: str
    legal_form: str

    correctable: ClassVar[frozenset[str]] = frozenset({"effective_on"})

    def evolve(self, journal: Journal) -> None:
        org = journal.orgs[self.org_id]
        org.update(
            {
                "status": REGISTERED,
                "legal_form": self.legal_form,
                "uscc": self.uscc,
                "registered_on": self.effective_on,
                "filing_closed": True,
            }
        )
        journal.usccs[self.uscc] = self.org_id


def check(
    journal: OrganizationRules, f: dict[str, Any], held: HeldOrganizations | None
) -> dict[str, Any]:
    """Only the filing node upgrades its open filing, to a new USCC."""
    org = journal.known(f.pop("org"), held)
    if org["filing_node"] != journal.node:
        raise UpgradeNotAllowedError(
            Text(
                "{name} was not filed at node {node}; only its filing node records "
                "the upgrade",
                name=org["name"],
                node=journal.node,
            ),
            field="org",
        )
    journal.check_filed_open(org)
    journal.check_new_uscc(f["uscc"], f["legal_form"])
    f["org_id"] = org["org_id"]
    return complete(OrganizationUpgraded, f)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A clerk's fields, an org_id, a USCC of the legal form."""
    clerk_fields(FACT_TYPE, p, stored)
    stored_uuid(p["org_id"], "payload.org_id")
    stored_rule(check_uscc_form, p["uscc"], p["legal_form"])


FACT_TYPE = FactType(
    OrganizationUpgraded,
    check_stored,
    inputs=(
        inputs.ORG,
        FieldSpec("uscc", "uscc", inputs.uscc, required=True),
        FieldSpec("legal_form", "legal_form", inputs.legal_form, required=True),
        inputs.DATE,
    ),
    rule=check,
    on_correction=org_correction("registered_on"),
)

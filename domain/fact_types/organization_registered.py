"""OrganizationRegistered: a legal-person organization registered (登记) here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain import inputs
from domain.corrections import org_correction
from domain.definition import FactType
from domain.facts import Fact
from domain.identity import org_id_for_uscc
from domain.inputs import FieldSpec
from domain.rules import check_uscc_form, complete
from domain.state import REGISTERED, new_org, shared
from domain.stored_fields import clerk_fields, derived, stored_rule, stored_uuid

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.stored_fields import Stored


class OrganizationRegistered(Fact):
    """A legal-person organization registered (登记), directly or from a filing."""

    org_id: str
    uscc: str
    name: str
    legal_form: str
    community: str | None
    upgraded_from: str | None

    correctable: ClassVar[frozenset[str]] = frozenset(
        {"name", "community", "effective_on"}
    )

    def evolve(self, journal: Journal) -> None:
        org = journal.orgs.get(self.org_id) or new_org(
            self.org_id, self.name, REGISTERED
        )
        org.update(
            {
                "name": self.name,
                "status": REGISTERED,
                "legal_form": shared(self.legal_form),
                "uscc": self.uscc,
                "registered_on": shared(self.effective_on),
                "filing_closed": org["filing_number"] is not None,
            }
        )
        if self.community is not None:
            org["community"] = shared(self.community)
        journal.orgs[self.org_id] = org
        journal.usccs[self.uscc] = self.org_id


def check(
    journal: OrganizationRules, f: dict[str, Any], held: HeldOrganizations | None
) -> dict[str, Any]:
    """A new USCC of the legal form; an upgrade names an open filing."""
    journal.check_new_uscc(f["uscc"], f["legal_form"])
    f["community"] = journal.community_in_subtree(
        f.get("community"), default_to_node=False
    )
    upgraded = f.get("upgraded_from")
    if upgraded is not None:
        f["upgraded_from"] = journal.upgradable(upgraded)
    f["org_id"] = f.get("upgraded_from") or str(org_id_for_uscc(f["uscc"]))
    return complete(OrganizationRegistered, f)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A clerk's fields, a USCC of the legal form, the org_id the journal derives."""
    clerk_fields(FACT_TYPE, p, stored)
    stored_rule(check_uscc_form, p["uscc"], p["legal_form"])
    if p["upgraded_from"] is not None:
        stored_uuid(p["upgraded_from"], "payload.upgraded_from")
    expected = p["upgraded_from"] or str(org_id_for_uscc(p["uscc"]))
    derived("payload.org_id", p["org_id"], expected)


FACT_TYPE = FactType(
    OrganizationRegistered,
    check_stored,
    inputs=(
        FieldSpec("uscc", "uscc", inputs.uscc, required=True),
        FieldSpec("name", "name", inputs.text(100), required=True),
        FieldSpec("legal_form", "legal_form", inputs.legal_form, required=True),
        FieldSpec("community", "community", inputs.community),
        FieldSpec("upgraded_from", "upgraded_from", inputs.identifier(80)),
        inputs.DATE,
    ),
    rule=check,
    on_correction=org_correction("registered_on"),
)

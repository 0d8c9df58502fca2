"""OrganizationFiled: a grassroots organization filed (备案) at this node."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain import inputs
from domain.corrections import org_correction
from domain.definition import FactType
from domain.errors import DuplicateFilingError, InvalidFieldError
from domain.fact_types.fact_corrected import FactCorrected
from domain.facts import Fact
from domain.identity import org_id_for_filing
from domain.inputs import FieldSpec
from domain.messages import Text
from domain.money import parse_fen, parse_yuan
from domain.rules import complete
from domain.state import FILED, new_org, shared
from domain.stored_fields import clerk_fields, derived
from domain.values import parse_count

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.stored_fields import Stored


DETAIL_FIELDS = (
    "responsible_person",
    "member_count",
    "venue",
    "funds_fen",
    "funds_source",
    "guiding_unit",
)
"""What a filing records beyond its identity, shown as the organization's details."""


class OrganizationFiled(Fact):
    """A grassroots organization filed (备案) at this node; no legal personality."""

    org_id: str
    filing_number: str
    name: str
    category: str
    community: str | None
    responsible_person: dict[str, str] | None
    member_count: int | None
    venue: str | None
    funds_fen: int | None
    funds_source: str | None
    guiding_unit: str | None

    correctable: ClassVar[frozenset[str]] = frozenset(
        {"name", "category", "community", "effective_on", *DETAIL_FIELDS}
    )

    def evolve(self, journal: Journal) -> None:
        org = new_org(self.org_id, self.name, FILED)
        org.update(
            {
                "filing_number": self.filing_number,
                "filing_node": shared(self.node),
                "community": shared(self.community),
                "category": shared(self.category),
                "filed_on": shared(self.effective_on),
            }
        )
        journal.orgs[self.org_id] = org
        journal.filings[self.filing_number] = self.org_id


def filing_details(facts: Iterable[Fact]) -> dict[str, object]:
    """What an organization's filing records beyond its identity, as corrected:
    ``facts`` are the organization's, in seq order."""
    details: dict[str, object] = {}
    filed_at = None
    for fact in facts:
        if isinstance(fact, OrganizationFiled):
            payload = fact.payload()
            details = {
                k: payload[k] for k in DETAIL_FIELDS if payload.get(k) is not None
            }
            filed_at = fact.seq
        elif isinstance(fact, FactCorrected) and fact.corrects_seq == filed_at:
            new = fact.replacement
            details.update((k, v) for k, v in new.items() if k in DETAIL_FIELDS)
    return details


def check(
    journal: OrganizationRules, f: dict[str, Any], held: HeldOrganizations | None
) -> dict[str, Any]:
    """A filing number new at this node; the community inside it."""
    number = f["filing_number"]
    if number in journal.filings:
        holder = journal.orgs[journal.filings[number]]
        raise DuplicateFilingError(
            Text(
                "filing number {number} is already used at node {node} by {name} "
                "(seq {seq})",
                number=number,
                node=journal.node,
                name=holder["name"],
                seq=holder["facts"][0],
            ),
            field="filing_number",
            held_seq=holder["facts"][0],
        )
    f["community"] = journal.community_in_subtree(f.get("community"))
    f["org_id"] = str(org_id_for_filing(journal.code, number))
    return complete(OrganizationFiled, f)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A clerk's fields, filed in the origin's subtree, under the org_id it derives."""
    clerk_fields(FACT_TYPE, p, stored)
    if p["community"] is None and stored.node.tier == "community":
        raise InvalidFieldError(
            Text("payload.community is null, but a community files in itself"),
            field="payload.community",
        )
    expected = str(org_id_for_filing(stored.node, p["filing_number"]))
    derived("payload.org_id", p["org_id"], expected)


FACT_TYPE = FactType(
    OrganizationFiled,
    check_stored,
    inputs=(
        FieldSpec("filing_number", "filing_number", inputs.identifier(), required=True),
        FieldSpec("name", "name", inputs.text(100), required=True),
        FieldSpec("category", "category", inputs.text(40), required=True),
        FieldSpec("community", "community", inputs.community),
        FieldSpec(
            "responsible_person",
            "responsible_person",
            inputs.person,
            stored=inputs.stored_person,
        ),
        FieldSpec(
            "member_count", "member_count", lambda v, f: parse_count(v, f, minimum=1)
        ),
        FieldSpec("venue", "venue", inputs.optional_text(200)),
        FieldSpec("funds", "funds_fen", parse_yuan),
        FieldSpec("funds_fen", "funds_fen", parse_fen),
        FieldSpec("funds_source", "funds_source", inputs.optional_text(100)),
        FieldSpec("guiding_unit", "guiding_unit", inputs.optional_text(100)),
        inputs.DATE,
    ),
    rule=check,
    on_correction=org_correction("filed_on"),
)

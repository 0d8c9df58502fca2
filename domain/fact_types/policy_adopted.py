"""PolicyAdopted: a subsidy policy, in force from its date for the node's subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from domain import inputs
from domain.definition import FactType
from domain.facts import Fact
from domain.inputs import FieldSpec
from domain.policy import parse_programs
from domain.rules import complete
from domain.stored_fields import check_field
from domain.stored_policy import check_programs

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.stored_fields import Stored


class PolicyAdopted(Fact):
    """A node's subsidy policy, in force from ``effective_on`` for its subtree."""

    name: str
    programs: list[dict[str, Any]]
    """Each: program, bands {scheme: {grade: [min_fen, max_fen]}}, cap_fen, split."""

    org_field: ClassVar[str | None] = None

    def evolve(self, journal: Journal) -> None:
        """Policies constrain reconciliation, not recording: nothing to track."""


def check(
    journal: OrganizationRules, f: dict[str, Any], held: HeldOrganizations | None
) -> dict[str, Any]:
    """Nothing beyond parsing, which checked the programs."""
    # A policy needs nothing from the journal.
    return complete(PolicyAdopted, f)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A name as a clerk gives it; programs as a parsed policy file stores them."""
    check_field(FACT_TYPE, "name", p["name"], "payload.name", stored)
    check_programs(p["programs"], "payload.programs")


FACT_TYPE = FactType(
    PolicyAdopted,
    check_stored,
    inputs=(
        FieldSpec("name", "name", inputs.text(200), required=True),
        FieldSpec("programs", "programs", parse_programs, required=True),
        inputs.DATE,
    ),
    rule=check,
    free_form=True,
)

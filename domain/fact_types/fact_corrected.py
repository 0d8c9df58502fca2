"""FactCorrected: a correction of an earlier fact of this node.

The corrected fact's type decides what may be replaced and what follows from it
(its definition's correctable fields, ``revise`` and ``on_correction``); those are
looked up in the catalogue when used, since the catalogue imports this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain import inputs
from domain.definition import FactType
from domain.errors import InvalidFieldError, NotCorrectableError, UnknownFactError
from domain.facts import Fact
from domain.inputs import OBJECT, FieldSpec
from domain.messages import Text
from domain.rules import complete
from domain.stored_fields import clerk_fields, stored_earlier, stored_uuid

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.stored_fields import Stored


class FactCorrected(Fact):
    """A correction of an earlier fact of this node: the reason and the new values."""

    corrects_seq: int
    org_id: str | None
    reason: str
    replacement: dict[str, Any]

    def evolve(self, journal: Journal) -> None:
        from domain.catalogue import FACT_TYPES  # imports this module: here, on use

        ref = journal.refs[str(self.corrects_seq)]
        correct = FACT_TYPES[ref["type"]].on_correction
        if correct is not None:
            correct(journal, self.corrects_seq, ref, self.replacement)


def check(
    journal: OrganizationRules, f: dict[str, Any], held: HeldOrganizations | None
) -> dict[str, Any]:
    """An earlier fact about an organization; a replacement of its correctable
    fields, completed as the journal would have stored them."""
    # Both import the catalogue, which imports this module: imported here, on use.
    from domain.catalogue import FACT_TYPES
    from domain.commands import parse_replacement

    ref = journal.refs.get(str(f["corrects_seq"]))
    if ref is None and f["corrects_seq"] <= journal.version:
        raise NotCorrectableError(
            Text(
                "fact seq {seq} at node {node} is not a fact about an organization; "
                "only those can be corrected",
                seq=f["corrects_seq"],
                node=journal.node,
            ),
            field="corrects_seq",
        )
    if ref is None:
        raise UnknownFactError(
            Text(
                "fact seq {seq} does not exist at node {node} (its journal ends at "
                "seq {last})",
                seq=f["corrects_seq"],
                node=journal.node,
                last=journal.version,
            ),
            field="corrects_seq",
        )
    new = parse_replacement(ref["type"], f["replacement"])
    if "community" in new:
        new["community"] = journal.community_in_subtree(new["community"])
    revise = FACT_TYPES[ref["type"]].revise
    if revise is not None:
        revise(journal, f["corrects_seq"], ref, new)
    f["replacement"] = new
    f["org_id"] = ref["org_id"]
    return complete(FactCorrected, f)


def check_stored(p: Mapping[str, Any], stored: Stored) -> None:
    """A clerk's fields, an earlier fact, and a replacement some correction of a
    correctable fact could store."""
    # It reads the catalogue, which imports this module: imported here, on use.
    from domain.stored_corrections import check_replacement

    clerk_fields(FACT_TYPE, p, stored)
    stored_earlier("payload.corrects_seq", p["corrects_seq"], stored)
    if p["org_id"] is not None:
        stored_uuid(p["org_id"], "payload.org_id")
    check_replacement(p["replacement"], stored)


def _replacement(value: object, field: str) -> dict[str, object]:
    if not isinstance(value, OBJECT) or not value:
        raise InvalidFieldError(
            Text("{field} must be a non-empty object of corrected fields", field=field),
            field=field,
        )
    return dict(value)


FACT_TYPE = FactType(
    FactCorrected,
    check_stored,
    inputs=(
        FieldSpec("corrects_seq", "corrects_seq", inputs.seq, required=True),
        FieldSpec("reason", "reason", inputs.text(500), required=True),
        FieldSpec("replacement", "replacement", _replacement, required=True),
        inputs.DATE,
    ),
    rule=check,
    free_form=True,
)

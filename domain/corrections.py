"""How a correction of an organization's identity fact changes the journal's state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.definition import OnCorrection
    from domain.journal import Journal
    from domain.state import FactRef

_ORG_COLUMNS = ("name", "category", "community")


def org_correction(date_field: str) -> OnCorrection:
    """The change a correction makes to the organization a fact of a type created
    or changed; ``date_field`` is the organization's date its ``effective_on`` sets."""

    def correct(
        journal: Journal, seq: int, ref: FactRef, replacement: dict[str, Any]
    ) -> None:
        org_id = ref["org_id"]
        if org_id not in journal.orgs:
            return  # held only through descendants' facts: the views revise it
        org: dict[str, Any] = journal.orgs[org_id]  # type: ignore[assignment]
        for key, value in replacement.items():
            if key == "effective_on":
                org[date_field] = value
            elif key in _ORG_COLUMNS:
                org[key] = value
            # Other fields (the filing's details) are read from the facts when asked.

    return correct

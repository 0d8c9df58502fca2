"""A fact type's definition: its event class and everything the journal derives from it.

Each module of ``domain.fact_types`` defines one fact type — the event class with its
payload fields, evolution and correctable fields, and a ``FACT_TYPE`` entry naming its
input keys, the journal's rule and the check of its stored payload. The parser, the
journal, the ingest check and corrections read these entries (``domain.catalogue``)
instead of listing fact types themselves (decision 0023).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from domain.facts import Fact
    from domain.inputs import FieldSpec
    from domain.journal import Journal
    from domain.ports import HeldOrganizations
    from domain.rules import OrganizationRules
    from domain.state import FactRef
    from domain.stored_fields import Stored

    Rule = Callable[
        [OrganizationRules, dict[str, Any], HeldOrganizations | None], dict[str, Any]
    ]
    """Checks a clerk's parsed fields against the journal; returns the full payload."""
    StoredCheck = Callable[[Mapping[str, Any], Stored], None]
    """Refuses a stored payload (or replacement) no journal could have written."""
    Revise = Callable[[OrganizationRules, int, FactRef, dict[str, Any]], None]
    """Completes a correction's parsed replacement of a fact of this type, in place."""
    OnCorrection = Callable[[Journal, int, FactRef, dict[str, Any]], None]
    """Changes the journal's state as a corrected fact of this type would have."""


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: cached per type
class FactType:
    """One fact type: its class, what a clerk gives, its rule and its stored checks."""

    cls: type[Fact]
    check_stored: StoredCheck
    """The stored payload's own check, beyond ``effective_on`` and the document's
    shape (``domain.stored_check``)."""
    inputs: tuple[FieldSpec, ...] = ()
    """Accepted input keys; none for facts no clerk gives (genesis, network)."""
    rule: Rule | None = None
    """The journal's check of a clerk's parsed fields (``inputs`` given)."""
    required_targets: tuple[str, ...] = ()
    """Stored fields it needs that more than one input key can give."""
    defaulted: frozenset[str] = frozenset()
    """Fields the rule fills in when a clerk gives none."""
    free_form: bool = False
    """True when a field holds free-form JSON, walked before anything reads it."""
    own_field: str | None = None
    """The one field that tells apart facts of this type that repeat every other
    (a year's grades at a node): once such a payload passed ingest, another differing
    only there needs only that field checked."""
    derived_on_correction: frozenset[str] = frozenset()
    """Fields the journal derives again when a correction replaces others."""
    nullable_on_correction: frozenset[str] = frozenset()
    """Fields a correction may set to null."""
    revise: Revise | None = None
    """Completes a correction's replacement with what the journal derives."""
    check_replacement: StoredCheck | None = None
    """Rules across a stored replacement's fields, beyond each field's own."""
    on_correction: OnCorrection | None = None
    """The journal's change when a fact of this type is corrected (none: no state
    of the journal holds the corrected fields)."""

    @property
    def name(self) -> str:
        """The fact type's name, e.g. ``OrganizationFiled``."""
        return self.cls.__name__

    @property
    def correctable(self) -> frozenset[str]:
        """The fields a ``FactCorrected`` may replace (declared on the class)."""
        return self.cls.correctable

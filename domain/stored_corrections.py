"""A correction's replacement, as stored: the checked fields of a correctable fact.

Which fact a ``FactCorrected`` corrects lies in its origin's journal, not in the
document; its replacement must be what the journal would have stored for *some*
correctable fact type: only that type's correctable fields, each in its stored form,
with what the journal derives alongside (a grade's ``passed`` and ``valid_until``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from domain.catalogue import FACT_TYPES
from domain.errors import InvalidFieldError, excerpt
from domain.messages import Text
from domain.stored_fields import check_field

if TYPE_CHECKING:
    from domain.definition import FactType
    from domain.stored_fields import Stored

FIELD = "payload.replacement"
_CORRECTABLE = tuple(t for t in FACT_TYPES.values() if t.correctable)
"""The fact types a correction may name, as the catalogue orders them."""


def check_replacement(value: object, stored: Stored) -> None:
    """Refuse a replacement no correction of any correctable fact could store."""
    if not isinstance(value, Mapping) or not value:
        raise InvalidFieldError(
            Text("{field} must be a non-empty object of corrected fields", field=FIELD),
            field=FIELD,
        )
    refusals: list[InvalidFieldError] = []
    for fact_type in _CORRECTABLE:
        if value.keys() <= fact_type.correctable | fact_type.derived_on_correction:
            try:
                _check_as(fact_type, value, stored)
            except InvalidFieldError as error:
                refusals.append(error)
            else:
                return
    if refusals:
        raise refusals[0]
    names = ", ".join(excerpt(key, 32) for key in sorted(value)[:5])
    raise InvalidFieldError(
        Text(
            "{field} replaces {names}: no correctable fact has all of them",
            field=FIELD,
            names=names,
        ),
        field=FIELD,
    )


def _check_as(fact_type: FactType, r: Mapping[str, Any], stored: Stored) -> None:
    """The replacement as a correction of a ``fact_type`` would store it."""
    for name, item in r.items():
        field = f"{FIELD}.{name}"
        if name in fact_type.derived_on_correction:
            continue
        if item is None and name not in fact_type.nullable_on_correction:
            raise InvalidFieldError(
                Text("{field} must not be null", field=field), field=field
            )
        if item is not None:
            check_field(fact_type, name, item, field, stored)
    if fact_type.check_replacement is not None:
        fact_type.check_replacement(r, stored)

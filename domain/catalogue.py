"""Every fact type a journal can hold: the modules of ``domain.fact_types``, by name.

Found by listing the package, so a new fact type is its module and nothing else
here (decision 0023); each module defines one ``FACT_TYPE``.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

from domain import fact_types
from domain.definition import FactType

if TYPE_CHECKING:
    from domain.facts import Fact


def _discovered() -> dict[str, FactType]:
    found: list[FactType] = []
    for module in pkgutil.iter_modules(fact_types.__path__):
        loaded = importlib.import_module(f"{fact_types.__name__}.{module.name}")
        definition = loaded.FACT_TYPE
        assert isinstance(definition, FactType), module.name
        found.append(definition)
    return {definition.name: definition for definition in sorted(found, key=_order)}


def _order(definition: FactType) -> tuple[bool, str]:
    # Clerks' fact types first, as input listings name them; then by name.
    return (not definition.inputs, definition.name)


FACT_TYPES: dict[str, FactType] = _discovered()
"""Fact type name -> its definition."""
CATALOGUE: dict[str, type[Fact]] = {name: t.cls for name, t in FACT_TYPES.items()}
"""Fact type name -> its event class."""
CLERK_TYPES: tuple[FactType, ...] = tuple(t for t in FACT_TYPES.values() if t.inputs)
"""The fact types a clerk records from input data (the others a node writes)."""

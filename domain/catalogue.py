"""Every fact type a journal can hold, by name."""

from __future__ import annotations

from domain.facts import ORGANIZATION_FACTS, Fact
from domain.network import NETWORK_FACTS

CATALOGUE: dict[str, type[Fact]] = {**ORGANIZATION_FACTS, **NETWORK_FACTS}

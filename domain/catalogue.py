"""Every fact type a journal can hold, by name."""

from __future__ import annotations

from domain.facts import ORGANIZATION_FACTS, Fact
from domain.network import NETWORK_FACTS
from domain.policy import PolicyAdopted

CATALOGUE: dict[str, type[Fact]] = {
    **ORGANIZATION_FACTS,
    **NETWORK_FACTS,
    "PolicyAdopted": PolicyAdopted,
}

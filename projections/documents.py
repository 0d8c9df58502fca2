"""Facts as JSON documents for people: personal data masked unless asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.facts import Fact

PERSONAL = ("phone", "id_number")
"""Fields that are personal data: masked in every output and never logged."""


def mask_personal(value: Any) -> Any:
    """A copy with phone and ID numbers masked (personal data stays out of output)."""
    if isinstance(value, dict):
        return {
            k: (_mask(v) if k in PERSONAL and isinstance(v, str) else mask_personal(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask_personal(v) for v in value]
    return value


def _mask(text: str) -> str:
    return (
        text[:3] + "*" * max(len(text) - 7, 0) + text[-4:] if len(text) > 7 else "****"
    )


def fact_document(fact: Fact, *, personal: bool = False) -> dict[str, Any]:
    """The JSON form of a fact (the same fields the hash chain covers, plus hashes)."""
    payload = fact.payload()
    return {
        "node": fact.node,
        "seq": fact.seq,
        "type": fact.fact_type,
        "effective_on": fact.effective_on,
        "recorded_at": fact.recorded_at,
        "actor": fact.actor,
        "payload": payload if personal else mask_personal(payload),
        "prev_hash": fact.prev_hash,
        "hash": fact.hash,
    }


__all__ = ["PERSONAL", "fact_document", "mask_personal"]

"""A fact's fields as its page shows them: people's words beside the stored key.

The key stays on the page (auditors compare it with exports and the API), but a
clerk reads the label; a field with no label here (the network's own facts:
checkpoints, batches, forks) shows its key alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.messages import Text
from web.record_forms import FORMS

if TYPE_CHECKING:
    from collections.abc import Callable

_MONEY_FEN = {
    "amount_fen": Text("Amount (fen)"),
    "funds_fen": Text("Funds (fen)"),
    "shares.lottery": Text("Welfare-lottery fund (fen)"),
    "shares.district": Text("District budget (fen)"),
    "shares.street": Text("Street budget (fen)"),
    "shares.community": Text("Community budget (fen)"),
    "shares.social": Text("Social funds (fen)"),
}
_MORE = {
    "org_id": Text("Organization id"),
    "passed": Text("Passed"),
    "valid_until": Text("Valid until"),
    "programs": Text("Programs"),
    "funds_source": Text("Source of funds"),
    "upgraded_from": Text("Filing number before registration"),
    "node_name": Text("Node name"),
    "tier": Text("Tier"),
    "parent": Text("Parent node"),
    "child": Text("Child node"),
    "responsible_person.id_number": Text("ID number"),
}
_WORDED = {"scheme", "grade_scheme", "tier"}
"""Fields whose values are keys with a name for people (``class`` → 分类评定)."""


def _labels() -> dict[str, Text]:
    found: dict[str, Text] = {}
    for form in FORMS.values():
        for field in form.fields:
            if field.path and field.kind != "yuan":
                found.setdefault(field.path, field.label)
    return {**found, **_MONEY_FEN, **_MORE}


LABELS = _labels()


def field_rows(
    payload: dict[str, Any],
    translate: Callable[[str], str],
    word: Callable[[str], str],
) -> list[tuple[str, str, str]]:
    """Each field as (stored key, label in the reader's language, value shown);
    nested fields as ``outer.inner``."""
    rows: list[tuple[str, str, str]] = []
    for key, value in _flat(payload):
        label = LABELS.get(key)
        shown = _shown(key, value, translate, word)
        rows.append((key, label.render(translate) if label else "", shown))
    return rows


def _flat(payload: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for key, value in payload.items():
        if isinstance(value, dict):
            found += _flat(value, f"{prefix}{key}.")
        elif value is not None:
            found.append((prefix + key, value))
    return found


def _shown(
    key: str,
    value: object,
    translate: Callable[[str], str],
    word: Callable[[str], str],
) -> str:
    if isinstance(value, bool):
        return (Text("yes") if value else Text("no")).render(translate)
    if key in _WORDED and isinstance(value, str):
        return word(value)
    return str(value)

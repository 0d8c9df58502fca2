"""What recording a batch would do, item by item, recording nothing: a dry run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.errors import LedgerError
    from domain.facts import Fact
    from domain.receipts import Receipt


@dataclass(frozen=True, slots=True)
class Preview:
    """One item's outcome in a dry run: the receipt it would get (``already_recorded``
    when the same fact is held), or the error it would meet."""

    number: int
    receipt: Receipt | None = None
    error: LedgerError | None = None
    differs: tuple[str, ...] = ()
    """A conflict (same identity as a fact held, other content): the input fields in
    which the held fact differs."""
    held_seq: int | None = None
    """A conflict: the seq of the fact held (or to be recorded earlier in the batch)."""


def differences(held: Fact, fact_type: str, given: dict[str, Any]) -> tuple[str, ...]:
    """The fields in which a clerk's parsed ``given`` says other than ``held``."""
    if held.fact_type != fact_type:
        return ()
    payload = held.payload()
    return tuple(k for k, v in given.items() if k in payload and payload[k] != v)

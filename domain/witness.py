"""Witnessed heads: a parent's signed word that it holds a child's journal up to a head.

The child keeps the latest receipt outside its own store, so its own verification can
tell when its journal was cut back or rewritten below what its parent already saw.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol

from domain.errors import InvalidFieldError
from domain.messages import Text
from domain.ports import witness_message

if TYPE_CHECKING:
    from collections.abc import Mapping

    from domain.ports import Signer, Verifier

FIELDS = ("parent", "parent_key", "child", "seq", "hash", "signature", "at")


@dataclass(frozen=True)
class Witness:
    """A parent's signature over (parent, child, seq, hash) of the child's journal."""

    parent: str
    parent_key: str
    child: str
    seq: int
    hash: str
    signature: str
    at: str
    """When the parent signed it (UTC)."""

    @classmethod
    def sign(
        cls, signer: Signer, parent: str, child: str, head: tuple[int, str], at: str
    ) -> Witness:
        """The receipt ``parent`` gives ``child`` for holding it up to ``head``."""
        seq, fact_hash = head
        signature = signer.sign(witness_message(parent, child, seq, fact_hash))
        return cls(parent, signer.public_key, child, seq, fact_hash, signature, at)

    @classmethod
    def parse(cls, data: Mapping[str, object]) -> Witness:
        """A receipt from its JSON form; refuse anything malformed."""
        if not isinstance(data, dict) or set(data) != set(FIELDS):
            raise InvalidFieldError(
                Text(
                    "a witness receipt has exactly the fields {fields}",
                    fields=", ".join(FIELDS),
                ),
                field="witness",
            )
        seq = data["seq"]
        texts = [data[name] for name in FIELDS if name != "seq"]
        if (
            type(seq) is not int
            or seq < 1
            or not all(isinstance(t, str) for t in texts)
        ):
            raise InvalidFieldError(
                Text("a witness receipt's seq is a positive integer and the rest text"),
                field="witness",
            )
        return cls(**data)

    def verifies(self, verifier: Verifier) -> bool:
        """True when the parent's signature holds."""
        message = witness_message(self.parent, self.child, self.seq, self.hash)
        return verifier.verify(self.parent_key, message, self.signature)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return asdict(self)


class WitnessBook(Protocol):
    """Where a node keeps its parent's latest receipt, apart from its own store."""

    def latest(self) -> Witness | None:
        """The receipt with the highest seq kept so far."""
        ...

    def keep(self, witness: Witness) -> None:
        """Keep ``witness`` if it is past the one kept."""
        ...

"""A peer in this process: the HTTP client's interface over a NodeSync."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.witness import Witness

if TYPE_CHECKING:
    from domain.node_sync import NodeSync


class LocalPeer:
    """Answers like `PeerClient` would, without HTTP, on behalf of ``caller``."""

    def __init__(self, node: NodeSync, caller: str) -> None:
        self.node, self.caller = node, caller

    def head(self) -> dict[str, Any]:
        """The node's head."""
        head = self.node.ledger.head()
        return {"node": head.node, "seq": head.seq, "hash": head.hash}

    def feed(self, after: int, limit: int = 500) -> dict[str, Any]:
        """A feed page, after a checkpoint, as the HTTP endpoint serves it."""
        if self.node.signer is not None:
            self.node.checkpoint()
        page = self.node.feed(after, limit)
        return {
            "node": page.node,
            "facts": page.facts,
            "position": page.position,
            "head_seq": page.head_seq,
            "head_hash": page.head_hash,
            "signed_head": page.signed_head,
        }

    def ingest(self, body: dict[str, Any]) -> dict[str, Any]:
        """Ingest pushed facts, as the HTTP endpoint does."""
        report = self.node.ingest(
            body["source"],
            body["facts"],
            transport=body["transport"],
            feed_position=body["feed_position"],
            source_head=body.get("source_head", 0),
            signed_head=body.get("signed_head"),
        )
        return {
            "source": report.source,
            "new": report.new,
            "duplicates": report.duplicates,
            "feed_position": report.feed_position,
            "behind": report.behind,
            "witness": report.witness.as_dict() if report.witness else None,
        }

    def cursor(self, source: str) -> int:
        """The receiving node's cursor for ``source``."""
        return self.node.cursor(source)

    def witness(self, receipt: dict[str, Any]) -> None:
        """Hand the node its parent's receipt, as the HTTP endpoint does."""
        self.node.keep_witness(Witness.parse(receipt))

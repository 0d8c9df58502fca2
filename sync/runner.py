"""The three transports over the one ingest path: pull, push and bundle."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from domain.codes import NodeCode
from domain.errors import OutsideSubtreeError, UnknownOriginError
from sync import bundle

if TYPE_CHECKING:
    from pathlib import Path

    from domain.node_sync import IngestReport, NodeSync

PAGE = 500
Progress = Callable[[int], None]


class Peer(Protocol):
    """Another node, over HTTP (`PeerClient`) or in this process (`LocalPeer`)."""

    def head(self) -> dict[str, Any]: ...
    def feed(self, after: int, limit: int = 500) -> dict[str, Any]: ...
    def ingest(self, body: dict[str, Any]) -> dict[str, Any]: ...
    def cursor(self, source: str) -> int: ...


@dataclass
class SyncRun:
    """What one sync run moved."""

    source: str
    new: int = 0
    duplicates: int = 0
    pages: int = 0
    origins: set[str] = field(default_factory=set)

    def add(self, report: IngestReport) -> None:
        """Count one ingested page."""
        self.new += report.new_count
        self.duplicates += report.duplicates
        self.pages += 1
        self.origins.update(report.new)

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"{self.source}: {self.new} new facts from {len(self.origins)} origin(s), "
            f"{self.duplicates} already held, {self.pages} page(s)"
        )


def pull(node: NodeSync, child: Peer, progress: Progress | None = None) -> SyncRun:
    """Read a direct child's feed from this node's cursor and ingest it page by page."""
    source = str(child.head()["node"])
    code = NodeCode.parse(source)
    if code.parent != node.ledger.node:
        raise OutsideSubtreeError(
            f"{source} is not a direct child of {node.ledger.node}"
        )
    if source not in node.ledger.journal().children:
        raise UnknownOriginError(f"{source} is not enrolled at {node.ledger.node}")
    run, after = SyncRun(source), node.cursor(source)
    while True:
        page = child.feed(after, PAGE)
        if not page["facts"]:
            return run
        run.add(
            node.ingest(
                source,
                page["facts"],
                transport="pull",
                feed_position=page["position"],
                source_head=page["head_seq"],
            )
        )
        after = page["position"]
        if progress:
            progress(run.new + run.duplicates)


def push(node: NodeSync, parent: Peer, progress: Progress | None = None) -> SyncRun:
    """Sign the head, then post this node's feed from the parent's cursor upward."""
    me = node.ledger.node.value
    node.checkpoint()
    run, after = SyncRun(me), parent.cursor(me)
    for page in pages(node, after):
        report = parent.ingest(
            {
                "source": me,
                "feed_position": page["position"],
                "source_head": page["head_seq"],
                "transport": "push",
                "facts": page["facts"],
            }
        )
        run.new += sum(to - first + 1 for first, to in report["new"].values())
        run.duplicates += int(report["duplicates"])
        run.pages += 1
        run.origins.update(report["new"])
        if progress:
            progress(run.new + run.duplicates)
    return run


def export(node: NodeSync, path: Path, after: int = 0) -> int:
    """Sign the head and write this node's feed after ``after`` into a bundle."""
    node.checkpoint()
    head = node.ledger.head()
    header = {
        "source": head.node,
        "after": after,
        "head_seq": head.seq,
        "head_hash": head.hash,
    }
    return bundle.write(path, header, pages(node, after))


def import_bundle(
    node: NodeSync, path: Path, progress: Progress | None = None
) -> SyncRun:
    """Check a whole bundle, then ingest its pages; a re-import changes nothing."""
    found = bundle.read(path)
    run = SyncRun(found.source)
    for page in found.pages:
        run.add(
            node.ingest(
                found.source,
                page["facts"],
                transport="bundle",
                feed_position=page["position"],
                source_head=page["head_seq"],
            )
        )
        if progress:
            progress(run.new + run.duplicates)
    return run


def pages(node: NodeSync, after: int) -> Iterator[dict[str, Any]]:
    """This node's feed from ``after`` as wire pages."""
    while True:
        page = node.feed(after, PAGE)
        if not page.facts:
            return
        yield {
            "facts": page.facts,
            "position": page.position,
            "head_seq": page.head_seq,
        }
        after = page.position

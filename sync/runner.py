"""The three transports over the one ingest path: pull, push and bundle.

Each ends by comparing the source's latest signed head with what the receiver holds,
so a source whose history diverged (a restored backup) is a fork on every transport,
even when its feed no longer matches the receiver's cursor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from domain.codes import NodeCode
from domain.errors import OutsideSubtreeError, SyncError, UnknownOriginError
from domain.messages import Text
from domain.witness import Witness
from sync import bundle

if TYPE_CHECKING:
    from pathlib import Path

    from domain.node_sync import IngestReport, NodeSync

PAGE = 1000
"""Facts a pull or push asks for per page (a page ends on signed heads, see
``domain.feed``): as many as a node signs between its own checkpoints."""
Progress = Callable[[int], None]


class Peer(Protocol):
    """Another node, over HTTP (`PeerClient`) or in this process (`LocalPeer`)."""

    def head(self) -> dict[str, Any]: ...
    def feed(self, after: int, limit: int = 500) -> dict[str, Any]: ...
    def ingest(self, body: dict[str, Any]) -> dict[str, Any]: ...
    def cursor(self, source: str) -> int: ...
    def witness(self, receipt: dict[str, Any]) -> None: ...


@dataclass
class SyncRun:
    """What one sync run moved."""

    source: str
    new: int = 0
    duplicates: int = 0
    pages: int = 0
    origins: set[str] = field(default_factory=set)
    witness: Witness | None = None
    """The receiver's signed receipt for what it holds of the source's journal."""

    def add(self, report: IngestReport) -> None:
        """Count one ingested page."""
        self.new += report.new_count
        self.duplicates += report.duplicates
        self.pages += 1
        self.origins.update(report.new)
        self.witness = report.witness or self.witness

    def add_answer(self, answer: dict[str, Any]) -> None:
        """Count one page the receiver ingested over the wire."""
        self.new += sum(to - first + 1 for first, to in answer["new"].values())
        self.duplicates += int(answer["duplicates"])
        self.pages += 1
        self.origins.update(answer["new"])
        if answer.get("witness"):
            self.witness = Witness.parse(answer["witness"])

    def summary(self) -> Text:
        """One line for the CLI, in the reader's language when rendered."""
        return Text(
            "{source}: {new} new facts from {origins} origin(s), "
            "{duplicates} already held, {pages} page(s)",
            source=self.source,
            new=self.new,
            origins=len(self.origins),
            duplicates=self.duplicates,
            pages=self.pages,
        )


def pull(node: NodeSync, child: Peer, progress: Progress | None = None) -> SyncRun:
    """Read a direct child's feed from this node's cursor and ingest it page by page;
    then hand the child this node's receipt for what it now holds."""
    source = str(child.head()["node"])
    code = NodeCode.parse(source)
    if code.parent != node.ledger.node:
        raise OutsideSubtreeError(
            Text(
                "{child} is not a direct child of {node}",
                child=source,
                node=node.ledger.node,
            )
        )
    if source not in node.ledger.journal().children:
        raise UnknownOriginError(
            Text(
                "{origin} is not enrolled at {node}",
                origin=source,
                node=node.ledger.node,
            )
        )
    run = SyncRun(source)
    # A signed head past what the feed after our cursor reaches means the child's
    # store was replaced: read it from the start, where a diverged seq is a fork.
    if _pull_from(node, child, run, node.cursor(source), progress) and _pull_from(
        node, child, run, 0, progress
    ):
        raise _unreachable_head(source)
    if run.witness is not None:
        child.witness(run.witness.as_dict())
    return run


def _pull_from(
    node: NodeSync, child: Peer, run: SyncRun, after: int, progress: Progress | None
) -> bool:
    """Ingest the child's pages after ``after``; True when its signed head is past
    what is held at the end."""
    while True:
        page = child.feed(after, PAGE)
        report = node.ingest(
            run.source,
            page["facts"],
            transport="pull",
            feed_position=page["position"],
            source_head=page["head_seq"],
            signed_head=None if page["facts"] else page.get("signed_head"),
        )
        if not page["facts"]:
            run.witness = report.witness or run.witness
            return report.behind
        run.add(report)
        after = page["position"]
        if progress:
            progress(run.new + run.duplicates)


def push(node: NodeSync, parent: Peer, progress: Progress | None = None) -> SyncRun:
    """Sign the head, post this node's feed from the parent's cursor upward, and keep
    the parent's receipt."""
    me = node.ledger.node.value
    node.checkpoint()
    run = SyncRun(me)
    if _push_from(node, parent, run, parent.cursor(me), progress) and _push_from(
        node, parent, run, 0, progress
    ):
        raise _unreachable_head(me)
    if run.witness is not None:
        node.keep_witness(run.witness)
    return run


def _push_from(
    node: NodeSync, parent: Peer, run: SyncRun, after: int, progress: Progress | None
) -> bool:
    me = node.ledger.node.value
    for page in pages(node, after):
        run.add_answer(parent.ingest(_body(me, page, "push")))
        after = page["position"]
        if progress:
            progress(run.new + run.duplicates)
    closing = {"facts": [], "position": after, "head_seq": node.ledger.head().seq}
    answer = parent.ingest(_body(me, closing, "push", node.signed_head()))
    if answer.get("witness"):
        run.witness = Witness.parse(answer["witness"])
    return bool(answer.get("behind"))


def _body(
    source: str, page: dict[str, Any], transport: str, head: object = None
) -> dict[str, Any]:
    body = {
        "source": source,
        "feed_position": page["position"],
        "source_head": page["head_seq"],
        "transport": transport,
        "facts": page["facts"],
    }
    if head is not None:
        body["signed_head"] = head
    return body


def export(node: NodeSync, path: Path, after: int = 0) -> int:
    """Sign the head and write this node's feed after ``after`` into a bundle."""
    node.checkpoint()
    head = node.ledger.head()
    header = {
        "source": head.node,
        "after": after,
        "head_seq": head.seq,
        "head_hash": head.hash,
        "signed_head": node.signed_head(),
    }
    return bundle.write(path, header, pages(node, after))


def import_bundle(
    node: NodeSync, path: Path, progress: Progress | None = None
) -> SyncRun:
    """Check a whole bundle, then ingest its pages; a re-import changes nothing.

    The bundle's signed head is compared at the end: a diverged seq is a fork, and a
    head past what is held means the bundle starts later than this node's copy."""
    found = bundle.read(path)
    run = SyncRun(found.source)
    for page in found.pages:
        run.add(_ingest_page(node, found.source, page))
        if progress:
            progress(run.new + run.duplicates)
    closing = {"facts": [], "position": 0, "head_seq": found.header.get("head_seq", 0)}
    report = _ingest_page(node, found.source, closing, found.header.get("signed_head"))
    run.witness = report.witness or run.witness
    if report.behind:
        raise SyncError(
            Text(
                "{file} starts after seq {after} of {source}'s feed, but this node "
                "holds less of it: export a bundle with `--after 0`",
                file=path.name,
                after=found.header.get("after"),
                source=found.source,
            )
        )
    return run


def _ingest_page(
    node: NodeSync, source: str, page: dict[str, Any], head: object = None
) -> IngestReport:
    return node.ingest(
        source,
        page["facts"],
        transport="bundle",
        feed_position=page["position"],
        source_head=page["head_seq"],
        signed_head=head,
    )


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


def _unreachable_head(source: str) -> SyncError:
    return SyncError(
        Text(
            "{source} signed a head that its feed does not reach, even from the "
            "start; nothing more was recorded",
            source=source,
        )
    )

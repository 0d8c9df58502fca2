"""A node as its surfaces use it, and the one place where a node is assembled.

CLI commands, the HTTP API, the demo, benchmarks and tests all open a node with
``open_node``: the ledger, its verifier and signing key, its sync service, its views,
and its tokens, accounts and web sessions are wired here and nowhere else.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from domain.codes import NodeCode
from domain.node_sync import NodeSync
from infrastructure.accounts import AccountStore
from infrastructure.files import private_file
from infrastructure.keys import Ed25519Signer, Ed25519Verifier
from infrastructure.sessions import SessionStore
from infrastructure.stores import VIEW_CONNECTIONS
from infrastructure.tokens import TokenStore
from projections import counts, search_input
from projections.models.audit import Verification
from projections.models.sync import SyncStatus
from projections.node_views import NodeViews
from projections.postgres_view import PostgresLedgerView
from projections.sqlite_view import SQLiteLedgerView
from service.group_commit import GroupCommit

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from domain.application import Ledger
    from domain.errors import LedgerError
    from domain.policy import Policy
    from domain.preview import Preview
    from domain.receipts import Item, Receipt
    from domain.state import OrgState
    from infrastructure.stores import Store
    from projections.models.audit import AuditTimeline
    from projections.models.audit_diff import AuditDiff
    from projections.models.reconciliation import ReconciliationReport
    from projections.models.registry import (
        Organization,
        OrganizationDetail,
        RegistryPage,
    )
    from projections.models.rollup import Rollup
    from projections.processor import Progress
    from projections.search import RegistryFilter
    from projections.span import Span
    from projections.view import LedgerView, Point


class Node:
    """One node of the network: records facts, syncs with its neighbours, answers
    from its views. Built by ``open_node``; close it when done."""

    def __init__(
        self,
        store: Store,
        code: NodeCode,
        *,
        create: bool = False,
        shared: bool = False,
    ) -> None:
        self.store, self.code = store, code
        verifier = Ed25519Verifier()
        key = store.key_path(code)
        signer = Ed25519Signer.from_file(key) if key.exists() else None
        # The node itself is the rules' port to organizations it holds only through
        # its descendants' facts: its views answer, opened on first need.
        self.ledger: Ledger = store.open_ledger(
            code, create=create, shared=shared, verifier=verifier, held=self
        )
        self.sync = NodeSync(self.ledger, verifier, signer, store.witnesses(code))
        self.group = GroupCommit(self.ledger)

    @functools.cached_property
    def views(self) -> NodeViews:
        """The node's views (opened on first use: many commands need none)."""
        return open_views(self.store, self.ledger)

    @functools.cached_property
    def tokens(self) -> TokenStore:
        """The bearer tokens issued at this node."""
        return TokenStore(self.store.node_dir(self.code) / "tokens.json")

    @functools.cached_property
    def accounts(self) -> AccountStore:
        """The named accounts of people using this node's web interface."""
        return AccountStore(self.store.node_dir(self.code) / "users.json")

    @functools.cached_property
    def sessions(self) -> SessionStore:
        """The web sessions open at this node."""
        return SessionStore(self.store.node_dir(self.code) / "sessions.sqlite")

    def held_org(self, org_id: str) -> OrgState | None:
        """An organization known only from descendants' facts (the rules' port)."""
        return self.views.held_org(org_id)

    def record(
        self,
        fact_type: str,
        data: Mapping[str, object],
        *,
        actor: str,
        request_key: str | None = None,
    ) -> Receipt:
        """Record one fact a clerk gives; nothing is recorded on a LedgerError.
        Facts given at the same moment by other threads share its transaction.
        ``actor`` names who records it (``user:NAME``, ``token:ID``, ``cli:USER``;
        ``domain.actor``), kept with the fact under its hash."""
        return self.group.record(fact_type, data, request_key, actor)

    async def record_soon(
        self,
        fact_type: str,
        data: Mapping[str, object],
        *,
        actor: str,
        request_key: str | None = None,
    ) -> Receipt:
        """``record`` for a coroutine: the fact joins the next group the node's writer
        thread commits, and the caller awaits its own receipt or LedgerError."""
        return await self.group.submit(fact_type, data, request_key, actor)

    def record_many(
        self,
        items: Iterable[Item],
        *,
        actor: str,
        partial: bool = False,
        progress: Callable[[int], None] | None = None,
        request_key: str | None = None,
    ) -> tuple[list[Receipt], list[tuple[int, LedgerError]]]:
        """Record numbered facts in one transaction, each naming ``actor``: all, or
        with ``partial`` the good ones."""
        return self.ledger.record_many(
            items,
            partial=partial,
            progress=progress,
            request_key=request_key,
            actor=actor,
        )

    def preview_many(self, items: Iterable[Item]) -> list[Preview]:
        """What ``record_many`` would do with each numbered fact; records nothing."""
        return self.ledger.preview_many(items)

    def point(
        self,
        as_of: str | None = None,
        known_at: str | None = None,
        *,
        allow_broken: bool = False,
        known_at_name: str = "known_at",
    ) -> Point:
        """The point a question stands at (``NodeViews.point``): refused over a
        chain recorded broken unless ``allow_broken``."""
        return self.views.point(
            as_of, known_at, allow_broken=allow_broken, known_at_name=known_at_name
        )

    def registry(self, point: Point) -> list[Organization]:
        """Every organization known at the point, by name then id."""
        return self.views.registry(point)

    def registry_page(
        self,
        point: Point,
        only: RegistryFilter,
        offset: int = 0,
        limit: int | None = 100,
    ) -> RegistryPage:
        """A page of the organizations known at the point that ``only`` admits, by
        name (``limit`` None: every one from ``offset``)."""
        return self.views.registry_page(point, only, offset, limit)

    def registry_filter(
        self, *, text_field: str = "q", **given: str | None
    ) -> RegistryFilter:
        """A search's filters as people typed them (``search_input``), checked
        against this node: each wrong one an error naming it (the search text as
        ``text_field``)."""
        return search_input.registry_filter(self.code, text_field=text_field, **given)

    def organization(self, ref: str, point: Point) -> OrganizationDetail:
        """One organization at the point, with its timeline across origins."""
        return self.views.organization(ref, point)

    def rollup(
        self, point: Point, *, communities: bool = False, period: str | None = None
    ) -> Rollup:
        """Counts, grades and money per child node (or community) at the point:
        money per period, or only ``period``'s."""
        return self.views.rollup(point, communities=communities, period=period)

    def upgrades_since(self, point: Point, since: str) -> int:
        """Filed organizations registered from ``since`` (ISO) to the point's date."""
        return counts.upgrades_since(self.views.view, point, since)

    def reconcile(self, point: Point) -> ReconciliationReport:
        """Rules R1–R9 over everything held at the point, with their evidence."""
        return self.views.reconcile(point)

    def policies(self, point: Point) -> dict[str, list[Policy]]:
        """The subsidy policies adopted by the point, per adopting node, oldest
        first (the last is in force; a node without one follows its parent's)."""
        return self.views.policies(point)

    def span(self, asked: Span, *, allow_broken: bool = False) -> tuple[Point, Point]:
        """The two points an audit diff compares: two business dates, two knowledge
        instants, or both (``projections.span``)."""
        return self.views.span(asked, allow_broken=allow_broken)

    def audit_diff(self, before: Point, after: Point) -> AuditDiff:
        """What changed in the roll-up between two points, and the facts that did it."""
        return self.views.diff(before, after)

    def audit_timeline(self, ref: str, point: Point) -> AuditTimeline:
        """Every fact about one organization, in force order and as learned."""
        return self.views.timeline(ref, point)

    def sync_status(self) -> SyncStatus:
        """Per origin: last seq, hash, last contact and lag; open fork reports."""
        return SyncStatus.of(self.sync.status())

    def verify(self) -> Verification:
        """Verify every chain held now, and record what was found (the views refuse
        to answer over a broken chain)."""
        return Verification.of(self.views.verify(self.sync.verify_all))

    def rebuild_views(self, progress: Progress | None = None) -> int:
        """Verify every chain held, then build the views anew (``NodeViews.rebuild``);
        the positions processed."""
        return self.views.rebuild(self.sync.verify_all, progress)

    def close(self) -> None:
        """Release the node's stores."""
        self.group.close()
        if "views" in self.__dict__:
            self.views.close()
        self.ledger.close()

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_node(
    store: Store, code: NodeCode | str, *, create: bool = False, shared: bool = False
) -> Node:
    """The node ``code`` kept in ``store``; ``create`` makes its store if missing,
    ``shared`` when other processes may write it meanwhile (a server beside CLI
    commands)."""
    node = code if isinstance(code, NodeCode) else NodeCode.parse(code)
    return Node(store, node, create=create, shared=shared)


def open_views(store: Store, ledger: Ledger) -> NodeViews:
    """The views of an open ledger (a node's come with it: ``Node.views``)."""
    return NodeViews(ledger, open_view(store, ledger))


def open_view(store: Store, ledger: Ledger) -> LedgerView:
    """The view storage of an open ledger: a file beside it, or tables in its schema."""
    if store.database_url is None:
        folder = store.node_dir(ledger.node)
        views = private_file(folder / "views.sqlite")
        return SQLiteLedgerView.open(views, folder / "ledger.sqlite")
    events = getattr(ledger.recorder, "events_table_name", "ledger_events")
    return PostgresLedgerView.open(
        store.ledger_env(ledger.node), events, VIEW_CONNECTIONS
    )

"""No view over a broken chain without saying so: a street whose copy of one of its
community's subsidies was edited in the database refuses to rebuild its views or to
answer from them until the row is restored and verified again, on both stores."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from domain.codes import NodeCode
from domain.errors import ChainBrokenError
from domain.messages import Text
from infrastructure.i18n import translator
from projections import chain_status
from projections.postgres_view import PostgresLedgerView
from projections.view import Point
from service.node import open_views
from tests.factories import filing, subsidy
from tests.projections.tampering import Tamperer
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store
    from projections.node_views import NodeViews

STREET, COMMUNITY = "330211001", "330211001001"
PAID, FORGED = b'"amount_fen":350000', b'"amount_fen":950000'


class Street:
    """A street holding a community's filing and subsidy, its views caught up."""

    def __init__(self, store: Store) -> None:
        self.net = Network(store, [STREET, COMMUNITY])
        community = self.net.nodes[COMMUNITY].ledger
        community.record("OrganizationFiled", filing("备1", "城东“银龄”舞蹈队"))
        self.seq = community.record("SubsidyDecided", subsidy("备1")).seq
        self.net.pull(STREET, COMMUNITY)
        self.sync = self.net.nodes[STREET]
        self.views: NodeViews = open_views(store, self.sync.ledger)
        self.views.catch_up()
        self.tamper = Tamperer(store, NodeCode(STREET), NodeCode(COMMUNITY))
        self.kept = self.tamper.rows()[self.seq - 1].state

    def forge(self) -> None:
        """Edit the stored amount of the community's subsidy, as an intruder would."""
        assert PAID in self.kept
        self.tamper.set_state(self.seq, self.kept.replace(PAID, FORGED))

    def restore(self) -> None:
        """Put the stored row back as it was."""
        self.tamper.set_state(self.seq, self.kept)

    def paid_fen(self, views: NodeViews | None = None) -> int:
        """The organization's subsidies as the views hold them (a forced read)."""
        views = views or self.views
        [org] = views.registry(views.point(allow_broken=True))
        return int(org.subsidies.total_fen)


@pytest.fixture
def street(store: Store) -> Iterator[Street]:
    found = Street(store)
    yield found
    found.views.close()
    found.net.close()


def test_a_rebuild_over_an_edited_amount_refuses_without_any_earlier_verification(
    street: Street,
) -> None:
    before = street.views.digest(street.views.point())
    street.forge()
    with pytest.raises(ChainBrokenError) as refused:
        street.views.rebuild(street.sync.verify_all)
    # Check the one line names the origin and seq, and the views were left alone.
    assert refused.value.message.startswith(
        f"chain broken at origin {COMMUNITY} seq {street.seq}: "
        "hash does not match the fact's content"
    )
    assert refused.value.message.endswith(
        f"the views were not rebuilt — run tierledger audit verify {STREET} "
        "for every problem"
    )
    assert (refused.value.origin, refused.value.seq) == (COMMUNITY, street.seq)
    assert street.views.digest(street.views.point(allow_broken=True)) == before
    assert street.paid_fen() == 350_000


def test_reads_refuse_once_verified_broken_and_answer_again_once_restored(
    street: Street,
) -> None:
    street.forge()
    reports = street.views.verify(street.sync.verify_all)
    assert not reports[COMMUNITY].ok
    with pytest.raises(ChainBrokenError) as refused:
        street.views.point(as_of="2024-12-31")
    assert refused.value.message.startswith(
        f"chain broken at origin {COMMUNITY} seq {street.seq}: "
    )
    assert f"tierledger audit verify {STREET}" in refused.value.message
    street.restore()
    # Check an intact verification clears the break: reads and rebuilds answer.
    assert all(r.ok for r in street.views.verify(street.sync.verify_all).values())
    assert street.views.rollup(street.views.point()).children
    assert street.views.rebuild(street.sync.verify_all) > 0
    assert street.paid_fen() == 350_000


def test_a_forced_read_carries_every_break_and_marks_its_answer(
    street: Street,
) -> None:
    street.forge()
    street.views.verify(street.sync.verify_all)
    point = street.views.point(allow_broken=True)
    marked = street.views.rollup(point).model_dump(mode="json")
    # Check the mark leads the answer and names origin, seq and reason.
    assert next(iter(marked)) == "chain_broken"
    [mark] = marked["chain_broken"]
    assert (mark["origin"], mark["seq"]) == (COMMUNITY, street.seq)
    assert mark["reason"].startswith("hash does not match")
    # Check an answer at an unbroken point has no mark at all.
    assert "chain_broken" not in street.views.rollup(Point()).model_dump(mode="json")


def test_a_broken_own_chain_refuses_too(street: Street, store: Store) -> None:
    own = Tamperer(store, NodeCode(STREET))
    row = own.rows()[0]
    own.set_state(1, row.state.replace("节点".encode(), "街道".encode(), 1))
    with pytest.raises(ChainBrokenError) as refused:
        street.views.rebuild(street.sync.verify_all)
    assert refused.value.origin == STREET
    assert refused.value.seq == 1


def test_a_verification_begun_earlier_never_overwrites_a_later_ones_finding(
    street: Street,
) -> None:
    intact = street.sync.verify_all()
    street.forge()
    broken = street.sync.verify_all()
    view = street.views.view
    chain_status.record(view, broken, "2026-11-22T08:00:00.000002Z")
    # A server's start-up verification, begun before, ends after it.
    chain_status.record(view, intact, "2026-11-22T08:00:00.000001Z")
    assert [b.origin for b in chain_status.breaks(view)] == [COMMUNITY]
    chain_status.record(view, intact, "2026-11-22T08:00:00.000003Z")
    assert chain_status.breaks(view) == []


def test_the_recorded_break_outlives_a_rebuild_and_a_reopen(
    street: Street, store: Store
) -> None:
    street.forge()
    street.views.verify(street.sync.verify_all)
    street.views.rebuild_unverified()  # drops and remakes every view table
    street.views.close()
    street.views = open_views(store, street.sync.ledger)
    # Check the break is still on record, and the forged amount is now in the views.
    with pytest.raises(ChainBrokenError):
        street.views.point()
    assert street.paid_fen() == 950_000


@pytest.mark.postgres
def test_the_recorded_status_is_a_logged_table_on_postgresql(
    pg_store: Store,
) -> None:
    street = Street(pg_store)
    view = street.views.view
    assert isinstance(view, PostgresLedgerView)
    schema = view.datastore.schema
    rows = view.fetch(
        "SELECT c.relpersistence FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = :schema AND c.relname = :name",
        {"schema": schema, "name": chain_status.TABLE},
    )
    # Check a server crash, which empties unlogged tables, cannot forget a break.
    assert rows == [("p",)]
    street.views.close()
    street.net.close()


def test_the_kept_reason_is_shown_in_the_readers_language(street: Street) -> None:
    street.forge()
    street.views.verify(street.sync.verify_all)
    [kept] = chain_status.breaks(street.views.view)
    chinese = translator("zh_CN")
    assert isinstance(kept.reason, Text)
    assert kept.reason.render(chinese).startswith("哈希与事实内容不符")
    with pytest.raises(ChainBrokenError) as refused:
        street.views.point()
    assert "处损坏：哈希与事实内容不符" in refused.value.text.render(chinese)
    assert refused.value.reason.startswith("hash does not match")  # the API's field


@pytest.mark.parametrize(
    "stored",
    [
        "hash does not match the fact's content (kept before reasons were messages)",
        '{"template": "seq {seq} {missing}", "values": {"seq": 1}}',
        '{"template": "{a}", "values": {"a": [1]}}',
        '{"template": "{a}", "values": {"a": {"template": 1, "values": {}}}}',
        "[" * 100_000,
        '{"template": "{a:>999999999}", "values": {"a": "x"}}',
        '{"template": "{a.__class__.__mro__}", "values": {"a": "x"}}',
    ],
)
def test_a_kept_reason_that_is_not_a_message_is_shown_as_it_is(
    street: Street, stored: str
) -> None:
    view = street.views.view
    chain_status.record(view, street.sync.verify_all(), "2026-11-22T08:00:00Z")
    with view.transaction() as txn:
        txn.execute(
            f"UPDATE {view.status_table} SET seq = 2, reason = :reason "
            "WHERE origin = :origin",
            {"reason": stored, "origin": COMMUNITY},
        )
    [kept] = chain_status.breaks(view)
    assert kept.reason == stored
    with pytest.raises(ChainBrokenError) as refused:
        street.views.point()
    assert stored[:50] in refused.value.text.render(translator("zh_CN"))


def test_a_kept_seq_edited_into_text_is_still_a_break(sqlite_store: Store) -> None:
    # SQLite keeps whatever is written; PostgreSQL's BIGINT refuses text.
    street = Street(sqlite_store)
    view = street.views.view
    street.forge()
    street.views.verify(street.sync.verify_all)
    with view.transaction() as txn:
        txn.execute(
            f"UPDATE {view.status_table} SET seq = 'x' WHERE seq IS NOT NULL", {}
        )
    [kept] = chain_status.breaks(view)
    assert (kept.origin, kept.seq) == (COMMUNITY, 0)
    with pytest.raises(ChainBrokenError):
        street.views.point()
    street.views.close()
    street.net.close()

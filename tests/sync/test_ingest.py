"""The one ingest path: convergence, idempotence, refusals, forks, knowledge time."""

from __future__ import annotations

import copy
import random
from typing import TYPE_CHECKING, Any

import pytest

from domain.errors import (
    AlteredFactError,
    BadSignatureError,
    ForkError,
    LedgerError,
    OutsideSubtreeError,
    SeqGapError,
    UnknownOriginError,
)
from domain.wire import from_document
from infrastructure.keys import Ed25519Signer
from tests.sync.network import COMMUNITIES, DISTRICT, STREETS, TREE, Network

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store)
    yield network
    network.close()


def feed_of(net: Network, code: str) -> list[dict[str, Any]]:
    """Every fact a node's feed holds (after a checkpoint)."""
    node = net.nodes[code]
    node.checkpoint()
    return node.feed(0, 1000).facts


def test_the_tree_converges_verbatim_in_any_order(net: Network, tmp_path: Any) -> None:
    for code in TREE:
        net.record(code, 4)
    steps = [("pull", s, c) for s in STREETS for c in COMMUNITIES if c.startswith(s)]
    steps += [("push", s, DISTRICT) for s in STREETS]
    random.Random(7).shuffle(steps)
    for kind, parent_or_child, other in steps:
        if kind == "pull":
            net.pull(parent_or_child, other)
        else:
            net.push(parent_or_child, other)
    for street in STREETS:
        net.carry(street, DISTRICT, tmp_path / f"{street}.bundle")
    # Check the district holds every community's journal exactly as the community does.
    for community in COMMUNITIES:
        assert net.held(DISTRICT, community) == net.held(community, community)
    assert net.verify_everywhere() == {}


def test_the_same_batch_twice_changes_nothing(net: Network) -> None:
    net.record(COMMUNITIES[0], 6)
    facts = feed_of(net, COMMUNITIES[0])
    street = net.nodes[STREETS[0]]
    first = street.ingest(COMMUNITIES[0], facts, transport="push", feed_position=9)
    head = street.ledger.head()
    again = street.ingest(COMMUNITIES[0], facts, transport="push", feed_position=9)
    assert first.new_count == len(facts)
    assert again.new_count == 0
    assert again.duplicates == len(facts)
    assert street.ledger.head() == head


def refused(
    net: Network,
    at: str,
    source: str,
    facts: list[dict[str, Any]],
    error: type[LedgerError],
) -> LedgerError:
    node = net.nodes[at]
    head, held = node.ledger.head(), net.held(at, source)
    with pytest.raises(error) as caught:
        node.ingest(source, facts, transport="push", feed_position=1)
    assert node.ledger.head() == head or error is ForkError
    assert net.held(at, source) == held  # nothing of the batch was recorded
    return caught.value


def test_a_fact_altered_in_transit_is_refused(net: Network) -> None:
    net.record(COMMUNITIES[0], 4)
    facts = copy.deepcopy(feed_of(net, COMMUNITIES[0]))
    filed = next(f for f in facts if f["type"] == "OrganizationFiled")
    filed["payload"]["name"] = filed["payload"]["name"] + "（改）"
    error = refused(net, STREETS[0], COMMUNITIES[0], facts, AlteredFactError)
    assert "altered in transit" in error.message


def test_a_checkpoint_signed_by_another_key_is_refused(
    net: Network, store: Store
) -> None:
    community = net.nodes[COMMUNITIES[0]]
    net.record(COMMUNITIES[0], 2)
    impostor_path = store.home / "impostor.key"
    from infrastructure.keys import create_key

    create_key(impostor_path)
    community.signer = Ed25519Signer.from_file(impostor_path)
    error = refused(
        net, STREETS[0], COMMUNITIES[0], feed_of(net, COMMUNITIES[0]), BadSignatureError
    )
    assert "enrolled key" in error.message


def test_origins_outside_the_subtree_are_refused(net: Network) -> None:
    net.record(COMMUNITIES[2], 2)  # under the second street
    facts = feed_of(net, COMMUNITIES[2])
    refused(net, STREETS[0], COMMUNITIES[2], facts, OutsideSubtreeError)
    refused(net, STREETS[1], COMMUNITIES[3], facts, OutsideSubtreeError)  # wrong via


def test_a_batch_that_skips_seqs_is_refused(net: Network) -> None:
    net.record(COMMUNITIES[0], 5)
    facts = feed_of(net, COMMUNITIES[0])
    error = refused(net, STREETS[0], COMMUNITIES[0], facts[:2] + facts[3:], SeqGapError)
    assert "skips from seq 2 to 4" in error.message


def test_an_origin_nobody_enrolled_is_refused(store: Store) -> None:
    net = Network(store, [STREETS[0], COMMUNITIES[0]])
    stranger = net.open(COMMUNITIES[1])  # never enrolled
    stranger.checkpoint()
    with pytest.raises(UnknownOriginError):
        net.nodes[STREETS[0]].ingest(
            COMMUNITIES[1],
            stranger.feed(0, 100).facts,
            transport="push",
            feed_position=1,
        )
    stranger.ledger.close()
    net.close()


def test_a_fork_is_refused_kept_as_evidence_and_resolved(
    net: Network, store: Store
) -> None:
    net.record(COMMUNITIES[0], 3)
    net.pull(STREETS[0], COMMUNITIES[0])
    held = net.held(STREETS[0], COMMUNITIES[0])
    # The station restores an older copy of its store and records other facts:
    # its own signed history now differs from the one the street holds.
    net.restore_backup(COMMUNITIES[0], len(held) - 2)
    net.record(COMMUNITIES[0], 3)
    rewritten = feed_of(net, COMMUNITIES[0])
    error = refused(net, STREETS[0], COMMUNITIES[0], rewritten, ForkError)
    assert f"at seq {len(held) - 1} this node holds" in error.message
    street = net.nodes[STREETS[0]]
    assert net.held(STREETS[0], COMMUNITIES[0]) == held  # the accepted history stays
    forks = street.status().forks
    assert [(f["origin"], f["at_seq"]) for f in forks] == [
        (COMMUNITIES[0], len(held) - 1)
    ]
    # Offering it again keeps one report; resolving closes it.
    refused(net, STREETS[0], COMMUNITIES[0], rewritten, ForkError)
    assert len(street.status().forks) == 1
    street.resolve_fork(
        COMMUNITIES[0], len(held) - 1, "站点电脑重装后误导入旧备份，已核实"
    )
    assert street.status().forks == []
    assert street.ledger.verify().ok


def test_an_unsigned_rewrite_is_blamed_on_the_transport_not_the_origin(
    net: Network,
) -> None:
    net.record(COMMUNITIES[0], 3)
    net.pull(STREETS[0], COMMUNITIES[0])
    # A relay rewrites a held fact and recomputes its hash: no signature of the
    # station covers the other history, so it is not the station's fork.
    rewritten = copy.deepcopy(feed_of(net, COMMUNITIES[0]))
    fake = rewritten[1]
    fake["payload"]["name"] = "改写的名字"
    fake["hash"] = from_document(fake).recomputed_hash()
    error = refused(net, STREETS[0], COMMUNITIES[0], rewritten, AlteredFactError)
    assert "altered in transit" in error.message
    assert net.nodes[STREETS[0]].status().forks == []


def test_the_district_can_say_what_it_knew_at_any_instant(net: Network) -> None:
    net.record(COMMUNITIES[0], 3)
    net.pull(STREETS[0], COMMUNITIES[0])
    net.push(STREETS[0], DISTRICT)
    between = net.nodes[DISTRICT].ledger.head()
    instant = list(net.nodes[DISTRICT].ledger.facts())[-1].recorded_at
    net.record(COMMUNITIES[0], 3)
    net.pull(STREETS[0], COMMUNITIES[0])
    net.push(STREETS[0], DISTRICT)
    district = net.nodes[DISTRICT]
    then, now = (
        district.known_at(instant),
        district.known_at("9999-12-31T00:00:00.000000Z"),
    )
    assert (
        then[COMMUNITIES[0]]
        < now[COMMUNITIES[0]]
        == len(net.held(COMMUNITIES[0], COMMUNITIES[0]))
    )
    assert between.seq < district.ledger.head().seq

"""A child whose signed history no longer links to what its parent holds (a restored
backup) is a fork on every transport, with its evidence kept; and the parent's
witness receipt lets the child see its own rewind."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from domain.errors import ForkError
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from infrastructure.stores import Store

STREET, COMMUNITY = "330211001", "330211001001"


@pytest.fixture
def net(store: Store) -> Iterator[Network]:
    network = Network(store, [STREET, COMMUNITY])
    network.record(COMMUNITY, 6)
    network.pull(STREET, COMMUNITY)
    yield network
    network.close()


def by_pull(net: Network, _: Path) -> object:
    return net.pull(STREET, COMMUNITY)


def by_push(net: Network, _: Path) -> object:
    return net.push(COMMUNITY, STREET)


def by_bundle(net: Network, folder: Path) -> object:
    return net.carry(COMMUNITY, STREET, folder / "c.bundle")


def by_bundle_after_cursor(net: Network, folder: Path) -> object:
    from sync import runner

    path = folder / "late.bundle"
    runner.export(net.nodes[COMMUNITY], path, after=3)
    return runner.import_bundle(net.nodes[STREET], path)


TRANSPORTS = [by_pull, by_push, by_bundle, by_bundle_after_cursor]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("records_after_restore", [0, 3])
def test_a_restored_backup_is_a_fork_on_every_transport(
    net: Network,
    tmp_path: Path,
    transport: Callable[[Network, Path], object],
    records_after_restore: int,
) -> None:
    street = net.nodes[STREET]
    held = net.held(STREET, COMMUNITY)
    head = street.ledger.head()
    net.restore_backup(COMMUNITY, len(held) - 3)
    net.record(COMMUNITY, records_after_restore)
    with pytest.raises(ForkError) as caught:
        transport(net, tmp_path)
    assert "restored backup" in caught.value.message
    # The parent's copy is unchanged; the evidence is on record and shown.
    assert net.held(STREET, COMMUNITY) == held
    (fork,) = street.status().forks
    assert fork["origin"] == COMMUNITY
    assert fork["held_hash"] == held[fork["at_seq"] - 1]
    assert fork["offered_hash"] != fork["held_hash"]
    assert street.ledger.head().seq == head.seq + 1  # only ForkDetected was added
    # An operator resolves it; the held history stays and verifies.
    street.resolve_fork(COMMUNITY, fork["at_seq"], "核实：站点恢复了旧备份")
    assert street.status().forks == []
    assert street.verify_all()[STREET].ok


def test_the_childs_own_verify_sees_a_rewind_past_its_parents_witness(
    net: Network,
) -> None:
    community = net.nodes[COMMUNITY]
    witness = net.store.witnesses(community.ledger.node).latest()
    assert witness is not None
    assert witness.seq == len(net.held(STREET, COMMUNITY))
    assert community.verify_all()[COMMUNITY].ok
    # The station's tail is deleted and its head lowered: its chain still links.
    net.restore_backup(COMMUNITY, witness.seq - 2)
    report = net.nodes[COMMUNITY].verify_all()[COMMUNITY]
    assert not report.ok
    assert report.problems[0].seq == witness.seq - 1
    assert f"witnessed this journal up to seq {witness.seq}" in str(
        report.problems[0].reason
    )


def test_a_push_keeps_the_parents_receipt(net: Network) -> None:
    net.record(COMMUNITY, 2)
    net.push(COMMUNITY, STREET)
    witness = net.store.witnesses(net.nodes[COMMUNITY].ledger.node).latest()
    assert witness is not None
    assert witness.parent == STREET
    assert witness.seq == len(net.held(STREET, COMMUNITY))
    assert net.nodes[COMMUNITY].verify_all()[COMMUNITY].witnessed_seq == witness.seq

"""A damaged journal snapshot: one line and exit 4, until `verify --drop-snapshots`."""

from __future__ import annotations

from domain.codes import NodeCode
from tests.cli.conftest import NODE, Cli
from tests.factories import filing
from tests.projections.tampering import Tamperer


def test_a_damaged_snapshot_is_one_line_until_dropped(cli: Cli) -> None:
    ledger = cli.store.open_ledger(NodeCode(NODE))
    ledger.snapshot_interval = 1  # the next fact stores a snapshot
    ledger.record("OrganizationFiled", filing("镇民备2024001号", "城东舞蹈队"))
    ledger.close()
    tamper = Tamperer(cli.store, NodeCode(NODE))
    damaged = bytearray(tamper.snapshot_state())
    damaged[len(damaged) // 2] ^= 0xFF
    tamper.set_snapshot(2, bytes(damaged))

    line = (
        "error[unreadable-snapshot]: the stored snapshot at seq 2 cannot be read: "
        "it was damaged or edited; run `tierledger verify --drop-snapshots` to "
        "discard it (the facts are not affected)"
    )
    _, err = cli("show", NODE, "镇民备2024001号", code=4)
    assert err.strip().splitlines() == [line]
    # A node that cannot read its state is not served: the same line, before listening.
    _, err = cli("serve", NODE, "--port", "0", code=4)
    assert err.strip().splitlines() == [line]
    cli("verify", NODE, "--drop-snapshots")
    out, _ = cli("show", NODE, "镇民备2024001号")
    assert "城东舞蹈队" in out

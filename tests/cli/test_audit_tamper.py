"""Acceptance: `audit verify` at a district names the origin and seq of one
community's fact whose stored copy was altered by a single byte."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.codes import NodeCode
from testdata import seed
from tests.cli.conftest import Cli
from tests.projections.seed_network import SeedNetwork
from tests.projections.tampering import Tamperer

if TYPE_CHECKING:
    from infrastructure.stores import Store

VICTIM, SEQ = seed.COMMUNITIES[1], 7


def test_audit_verify_names_the_tampered_origin_and_seq(store: Store) -> None:
    network = SeedNetwork(store)
    network.build()
    network.close()
    cli = Cli(store)
    out, _ = cli("audit", "verify", seed.DISTRICT)
    assert VICTIM in out
    assert "TAMPERED" not in out
    tamper = Tamperer(store, NodeCode(seed.DISTRICT), NodeCode(VICTIM))
    row = tamper.rows()[SEQ - 1]
    name = "招宝山".encode()
    tamper.set_state(SEQ, row.state.replace(name, "招宝山"[:2].encode() + b"X", 1))
    out, err = cli("audit", "verify", seed.DISTRICT, code=1)
    assert f"TAMPERED: node {VICTIM}: seq {SEQ}:" in err
    assert f"TAMPERED at seq {SEQ}" in out
    out, _ = cli("audit", "verify", VICTIM)  # the community's own store is intact
    assert "TAMPERED" not in out

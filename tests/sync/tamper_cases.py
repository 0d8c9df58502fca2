"""The tamper and forgery suite: what an intruder, a dishonest relay or a careless
operator can do to a small network, and what the ledger says about it.

Each case acts on a fresh network (street 330211001, its community 330211001001,
district 330211) and returns how the ledger answered. The tests assert every case
is detected and located, or refused; ``python -m tests.sync.tamper_cases`` prints the
table in docs/tamper-evidence.md, running each case on SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from domain.codes import NodeCode
from domain.errors import LedgerError
from domain.snapshot_packing import pack_document, unpack_document
from infrastructure.stores import Store
from sync import runner
from tests.projections.tampering import Tamperer
from tests.sync.forgery import forged_enrolment, of_origin, rechain, stored_bytes
from tests.sync.network import Network

if TYPE_CHECKING:
    from collections.abc import Callable

DISTRICT, STREET, COMMUNITY = "330211", "330211001", "330211001001"


@dataclass(frozen=True)
class Outcome:
    """How the ledger answered one tampering."""

    answer: str
    """"detected" (verification reports it), "refused" (nothing stored) or "none"."""
    where: str
    """What the answer names: the origin and seq, or the error code."""
    expected_seq: int | None = None
    """The seq the tampering touched, when it touched one."""

    @property
    def located(self) -> bool:
        """The answer names the touched seq (or a range holding it)."""
        if self.expected_seq is None:
            return self.answer == "refused"
        return _names(self.where, self.expected_seq)


def _names(where: str, seq: int) -> bool:
    for part in where.replace(",", " ").split():
        bounds = part.split("–")
        if all(b.isdigit() for b in bounds):
            low, high = int(bounds[0]), int(bounds[-1])
            if low <= seq <= high:
                return True
    return False


def network(store: Store) -> Network:
    """A district, a street and a community with a year of facts, all synced."""
    net = Network(store, [DISTRICT, STREET, COMMUNITY])
    net.record(COMMUNITY, 12)
    net.pull(STREET, COMMUNITY)
    net.record(COMMUNITY, 6)
    net.pull(STREET, COMMUNITY)
    net.push(STREET, DISTRICT)
    return net


def verified(net: Network, at: str, origin: str, seq: int | None) -> Outcome:
    """Verify at a node and say what it found for ``origin``."""
    report = net.nodes[at].verify_all()[origin]
    if report.ok:
        return Outcome("none", "verify says ok", seq)
    problems = " ".join(f"{p.seq} {p.reason}" for p in report.problems[:3])
    return Outcome("detected", f"{origin} seq {problems}", seq)


def refused(action: Callable[[], object]) -> Outcome:
    """Run an action expected to be refused; name the refusal's code."""
    try:
        action()
    except LedgerError as error:
        return Outcome("refused", f"{error.code}: {error.message[:90]}")
    return Outcome("none", "accepted")


def held_copy(net: Network) -> Tamperer:
    return Tamperer(net.store, NodeCode(STREET), NodeCode(COMMUNITY))


def byte_edit(net: Network, _: Path) -> Outcome:
    tamper, seq = held_copy(net), 5
    row = tamper.rows()[seq - 1]
    tamper.set_state(
        seq, row.state.replace(b'"effective_on":"20', b'"effective_on":"19')
    )
    net.restart(STREET)
    return verified(net, STREET, COMMUNITY, seq)


def middle_delete(net: Network, _: Path) -> Outcome:
    held_copy(net).delete(7)
    net.restart(STREET)
    return verified(net, STREET, COMMUNITY, 7)


def reorder(net: Network, _: Path) -> Outcome:
    tamper = held_copy(net)
    tamper.set_version(6, 10_000)
    tamper.set_version(7, 6)
    tamper.set_version(10_000, 7)
    net.restart(STREET)
    return verified(net, STREET, COMMUNITY, 6)


def rewrite_recomputed(net: Network, _: Path) -> Outcome:
    tamper, seq = held_copy(net), 4
    docs = [orjson.loads(row.state) for row in tamper.rows()]
    docs[seq - 1]["recorded_at"] = "2020-02-02T02:02:02.000000Z"
    for doc in rechain(docs[seq - 1 :], docs[seq - 2]["hash"]):
        tamper.set_state(doc["seq"], stored_bytes(doc))
    net.restart(STREET)
    return verified(net, STREET, COMMUNITY, seq)


def tail_delete_head_lowered(net: Network, _: Path) -> Outcome:
    witnessed = len(net.held(STREET, COMMUNITY))
    net.restore_backup(COMMUNITY, witnessed - 4)
    return verified(net, COMMUNITY, COMMUNITY, witnessed - 3)


def snapshot_edit(net: Network, _: Path) -> Outcome:
    community = net.nodes[COMMUNITY].ledger
    community.snapshot_interval = 1  # the next fact stores a snapshot
    net.record(COMMUNITY, 1)
    assert community.snapshots is not None
    stored = community.snapshots.recorder.select_events(
        community.journal_id, desc=True, limit=1
    )[0]
    doc = unpack_document(stored.state)
    for org in doc["state"]["orgs"].values():
        org["name"] = "改过的名字"
    tamper = Tamperer(net.store, NodeCode(COMMUNITY))
    tamper.set_snapshot(stored.originator_version, pack_document(doc))
    net.restart(COMMUNITY)
    return verified(net, COMMUNITY, COMMUNITY, stored.originator_version)


def forged_fact_by_relay(net: Network, _: Path) -> Outcome:
    held = of_origin(_street_feed(net), COMMUNITY)
    forged = copy.deepcopy(next(d for d in held if d["type"] == "SubsidyDecided"))
    forged["seq"] = held[-1]["seq"] + 1
    forged["payload"]["amount_fen"] = 9_999_900
    forged["payload"]["shares"] = {"street": 9_999_900}
    (forged,) = rechain([forged], held[-1]["hash"])
    district = net.nodes[DISTRICT]
    return refused(
        lambda: district.ingest(STREET, [forged], transport="push", feed_position=1)
    )


def forged_enrolment_key(net: Network, _: Path) -> Outcome:
    own = of_origin(_street_feed(net), STREET)
    signer = net.nodes[STREET].signer
    assert signer is not None
    enrolled = next(d for d in own if d["type"] == "ChildEnrolled")
    enrolment = forged_enrolment(enrolled, signer.public_key)  # a key the street holds
    checkpoint = copy.deepcopy(own[-1])
    enrolment["seq"], checkpoint["seq"] = own[-1]["seq"] + 1, own[-1]["seq"] + 2
    forged = rechain([enrolment, checkpoint], own[-1]["hash"], signer)
    district = net.nodes[DISTRICT]
    return refused(
        lambda: district.ingest(STREET, forged, transport="push", feed_position=1)
    )


def replayed_bundle(net: Network, folder: Path) -> Outcome:
    path = folder / "old.bundle"
    runner.export(net.nodes[COMMUNITY], path)
    net.record(COMMUNITY, 3)
    net.pull(STREET, COMMUNITY)
    head = net.nodes[STREET].ledger.head()
    run = runner.import_bundle(net.nodes[STREET], path)
    if run.new == 0 and net.nodes[STREET].ledger.head() == head:
        return Outcome("refused", f"no effect: {run.duplicates} facts already held")
    return Outcome("none", f"{run.new} facts recorded again")


def fork(net: Network, _: Path) -> Outcome:
    held = len(net.held(STREET, COMMUNITY))
    net.restore_backup(COMMUNITY, held - 3)
    net.record(COMMUNITY, 2)
    outcome = refused(lambda: net.pull(STREET, COMMUNITY))
    forks = net.nodes[STREET].status().forks
    evidence = f"; evidence kept at seq {forks[0]['at_seq']}" if forks else ""
    return Outcome(outcome.answer, outcome.where[:60] + evidence)


CASES: dict[str, tuple[str, Callable[[Network, Path], Outcome]]] = {
    "byte edit": ("one byte of a held fact changed in the store", byte_edit),
    "middle delete": ("a held fact deleted from the store", middle_delete),
    "reorder": ("two held facts swapped in the store", reorder),
    "rewrite, hashes recomputed": (
        "a held fact changed and every later hash recomputed",
        rewrite_recomputed,
    ),
    "tail delete, head lowered": (
        "a station's newest facts deleted and its head lowered",
        tail_delete_head_lowered,
    ),
    "snapshot edit": ("names changed in the latest stored snapshot", snapshot_edit),
    "forged fact by a relay": (
        "a street appends a 99 999-yuan subsidy as its community's",
        forged_fact_by_relay,
    ),
    "forged enrolment key": (
        "a street enrols its community again with a key it holds",
        forged_enrolment_key,
    ),
    "replayed bundle": ("an old bundle imported again", replayed_bundle),
    "fork": ("a station restores an older copy and records other facts", fork),
}


def _street_feed(net: Network) -> list[dict[str, Any]]:
    street = net.nodes[STREET]
    street.checkpoint()
    return street.feed(0, 5000).facts


def table(stores: dict[str, Store]) -> str:
    """The markdown table of every case on every store."""
    lines = [
        "| tampering | what was done | " + " | ".join(stores) + " |",
        "|---|---|" + "---|" * len(stores),
    ]
    for name, (what, case) in CASES.items():
        cells = []
        for store in stores.values():
            outcome = run_case(store, case)
            mark = "✔" if outcome.answer != "none" and outcome.located else "✘"
            cells.append(f"{mark} {outcome.answer}: {outcome.where[:110]}")
        lines.append(f"| {name} | {what} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_case(store: Store, case: Callable[[Network, Path], Outcome]) -> Outcome:
    """One case on a fresh network, in a new folder and schemas of ``store``."""
    run = uuid.uuid4().hex[:6]
    fresh = Store(store.home / run, store.database_url, f"{store.namespace}{run}_")
    net = network(fresh)
    try:
        with tempfile.TemporaryDirectory() as folder:
            return case(net, Path(folder))
    finally:
        net.close()


if __name__ == "__main__":
    from tests.sync.tamper_stores import stores

    with stores() as found:
        sys.stdout.write(table(found) + "\n")

"""Group commit: concurrent clerks' facts share transactions, yet the journal is what
recording them one by one would give, and each clerk hears their own outcome."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import threading
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import Ledger
from domain.errors import LedgerError
from infrastructure.stores import Store
from service import group_commit
from service.node import open_node
from tests.factories import COMMUNITY, subsidy

if TYPE_CHECKING:
    from domain.receipts import Receipt
    from service.node import Node

NUMBERS = ["备1", "备2", "备3"]
Command = tuple[str, dict[str, Any], str | None]

filings = st.builds(
    lambda number, name: ("OrganizationFiled", {
        "filing_number": number, "name": name, "category": "文体活动",
        "effective_on": "2024-03-01"}),
    st.sampled_from(NUMBERS), st.sampled_from(["城东舞蹈队", "邻里互助会"]),
)  # fmt: skip
grades = st.builds(
    lambda org, grade: ("GradeEvaluated", {
        "org": org, "scheme": "class", "grade": grade, "effective_on": "2024-11-01"}),
    st.sampled_from([*NUMBERS, "备9"]), st.sampled_from(["一类", "二类", "五类"]),
)  # fmt: skip
subsidies = st.builds(
    lambda org, fen: ("SubsidyDecided", subsidy(org, fen)),
    st.sampled_from(NUMBERS),
    st.sampled_from([0, 100_000, 350_000]),
)
commands = st.lists(
    st.tuples(
        st.one_of(filings, grades, subsidies),
        st.one_of(st.none(), st.sampled_from(["k1", "k2", "k3"])),
    ),
    min_size=4,
    max_size=24,
)
EXAMPLES = itertools.count()
CLERK = "token:1a2b3c4d"


@dataclasses.dataclass
class Outcome:
    """What one concurrent clerk heard."""

    command: Command
    actor: str = ""
    """Who sent it: each client is a clerk of their own."""
    receipt: Receipt | None = None
    error: LedgerError | None = None


def fresh_node(store: Store) -> Node:
    """A new community node for one example (its own folder or schemas)."""
    n = next(EXAMPLES)
    example = Store(
        store.home / f"ex{n}", store.database_url, f"{store.namespace}e{n}_"
    )
    node = open_node(example, COMMUNITY, create=True)
    node.ledger.open("城东社区", None, "2020-01-02")
    return node


def record_concurrently(
    node: Node, given: list[Command], clients: int, way: str = "threads"
) -> list[Outcome]:
    """The commands dealt to ``clients`` clerks, each a thread calling ``record``
    or a coroutine awaiting ``record_soon`` (as the API's requests do)."""
    outcomes = [Outcome(c, f"user:窗口{n % clients}") for n, c in enumerate(given)]
    if way == "coroutines":
        asyncio.run(_from_coroutines(node, outcomes, clients))
        return outcomes
    start = threading.Barrier(clients)

    def clerk(mine: list[Outcome]) -> None:
        start.wait()
        for outcome in mine:
            fact_type, data, key = outcome.command
            try:
                outcome.receipt = node.record(
                    fact_type, data, actor=outcome.actor, request_key=key
                )
            except LedgerError as error:
                outcome.error = error

    threads = [
        threading.Thread(target=clerk, args=(outcomes[i::clients],))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


async def _from_coroutines(node: Node, outcomes: list[Outcome], clients: int) -> None:
    async def clerk(mine: list[Outcome]) -> None:
        for outcome in mine:
            fact_type, data, key = outcome.command
            try:
                outcome.receipt = await node.record_soon(
                    fact_type, data, actor=outcome.actor, request_key=key
                )
            except LedgerError as error:
                outcome.error = error

    await asyncio.gather(*(clerk(outcomes[i::clients]) for i in range(clients)))


def assert_as_if_one_by_one(node: Node, outcomes: list[Outcome]) -> None:
    """The stored journal, replayed a fact at a time into a fresh ledger, records
    every fact again with the same outcome; each clerk's receipt names their fact."""
    facts = [f for f in node.ledger.facts(after=1) if not f.signs]
    replica = Ledger(COMMUNITY)
    replica.open("城东社区", None, "2020-01-02")
    by_seq = {}
    for fact in facts:
        data = {k: v for k, v in fact.payload().items() if k != "org_id"}
        if "org_id" in fact.payload() and fact.fact_type != "OrganizationFiled":
            data["org"] = fact.payload()["org_id"]
        again = replica.record(fact.fact_type, _input(fact.fact_type, data))
        assert not again.already_recorded
        by_seq[fact.seq] = fact
    assert replica.registry() == node.ledger.registry()
    for outcome in outcomes:
        assert (outcome.receipt is None) != (outcome.error is None)
        if outcome.receipt is not None:
            held = by_seq[outcome.receipt.seq]
            assert held.fact_type == outcome.command[0]
    recorded = [o.receipt.seq for o in outcomes if o.receipt and not _shared(o)]
    assert len(recorded) == len(set(recorded))  # no two clerks were given one fact
    for outcome in outcomes:
        if outcome.receipt and not _shared(outcome):
            # Grouped in one transaction, each fact still names its own clerk.
            assert by_seq[outcome.receipt.seq].actor == outcome.actor


def _shared(outcome: Outcome) -> bool:
    """A repeat, or a retry with a key: it names a fact another clerk recorded."""
    assert outcome.receipt is not None
    return outcome.receipt.already_recorded or outcome.command[2] is not None


def _input(fact_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A stored payload as a clerk's input (shares in fen, derived fields out)."""
    data = dict(data)
    for derived in ("passed", "valid_until", "community"):
        data.pop(derived, None)
    if fact_type == "SubsidyDecided":
        data["shares_fen"] = data.pop("shares")
        for basis in ("grade_scheme", "grade", "note"):
            if data.get(basis) is None:
                data.pop(basis, None)
    return {k: v for k, v in data.items() if v is not None}


@settings(
    max_examples=16,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # each example opens its own node in its own folder or schemas
@given(
    given_commands=commands,
    clients=st.sampled_from([2, 4, 8]),
    way=st.sampled_from(["threads", "coroutines"]),
)
def test_concurrent_clerks_get_what_one_by_one_recording_gives(
    store: Store,
    given_commands: list[tuple[tuple[str, dict[str, Any]], str | None]],
    clients: int,
    way: str,
) -> None:
    node = fresh_node(store)
    try:
        given = [(t, d, k) for (t, d), k in given_commands]
        outcomes = record_concurrently(node, given, clients, way)
        assert node.ledger.verify().ok
        assert_as_if_one_by_one(node, outcomes)
    finally:
        node.close()


@pytest.mark.parametrize("way", ["threads", "coroutines"])
def test_a_group_of_many_is_one_transaction_each_with_its_own_receipt(
    store: Store, way: str
) -> None:
    node = fresh_node(store)
    try:
        given: list[Command] = [
            ("OrganizationFiled", {"filing_number": f"备{n}", "name": f"队{n}",
             "category": "文体活动", "effective_on": "2024-03-01"}, None)
            for n in range(40)
        ]  # fmt: skip
        given.append(("GradeEvaluated", {"org": "备99", "scheme": "class",
                      "grade": "一类"}, None))  # fmt: skip
        outcomes = record_concurrently(node, given, 8, way)
        seqs = sorted(o.receipt.seq for o in outcomes if o.receipt)
        assert seqs == list(range(2, 42))
        unknown = [o for o in outcomes if o.error]
        assert [o.error.code for o in unknown if o.error] == ["unknown-organization"]
        assert node.ledger.head().seq == 41
    finally:
        node.close()


def test_the_writer_outlives_a_group_that_failed(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = fresh_node(store)
    fail_once = [RuntimeError("the store went away")]
    record_group = node.ledger.record_group

    def flaky(group: Any) -> None:
        if fail_once:
            raise fail_once.pop()
        record_group(group)

    monkeypatch.setattr(node.ledger, "record_group", flaky)
    filing = {"filing_number": "备1", "name": "城东舞蹈队", "category": "文体活动",
              "effective_on": "2024-03-01"}  # fmt: skip
    try:
        with pytest.raises(RuntimeError, match="went away"):
            asyncio.run(node.record_soon("OrganizationFiled", filing, actor=CLERK))
        receipt = asyncio.run(
            node.record_soon("OrganizationFiled", filing, actor=CLERK)
        )
        assert receipt.seq == 2
        assert not receipt.already_recorded
    finally:
        node.close()


def test_the_writer_waits_until_a_group_as_large_as_the_last_has_queued(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = fresh_node(sqlite_store)
    commit = node.group
    monkeypatch.setattr(group_commit, "GATHER_SECONDS", 60.0)  # never reached
    commit._writing = True  # as if the writer were busy: the facts only queue
    waiting = threading.Thread(target=commit._gather, args=(3,))
    waiting.start()

    async def three_clerks() -> list[Receipt]:
        filings = [
            {"filing_number": f"备{n}", "name": f"队{n}", "category": "文体活动",
             "effective_on": "2024-03-01"}
            for n in range(3)
        ]  # fmt: skip
        tasks = [
            asyncio.create_task(
                node.record_soon("OrganizationFiled", filing, actor=CLERK)
            )
            for filing in filings
        ]
        while len(commit._waiting) < 3:
            await asyncio.sleep(0.001)
        waiting.join(timeout=30)
        gathered = not waiting.is_alive()
        commit._writer.submit(commit._write_waiting)  # the writer takes the group
        receipts = await asyncio.gather(*tasks)
        assert gathered, "the writer was not told the group had filled"
        return receipts

    try:
        receipts = asyncio.run(three_clerks())
        assert sorted(r.seq for r in receipts) == [2, 3, 4]
    finally:
        monkeypatch.undo()
        node.close()

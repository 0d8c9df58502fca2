"""An import is written to the store in parts as it is checked (``domain.parted_save``),
yet stays one transaction: all or nothing, invisible until it commits, and a row
that repeats one written in an earlier part is still recognised as held."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from domain.application import Ledger
from domain.errors import BatchRejectedError, ConcurrentWriteError, InvalidFieldError
from domain.messages import Text
from domain.parted_save import PART
from testdata.generator import Generator
from tests.factories import COMMUNITY, open_node

if TYPE_CHECKING:
    from domain.receipts import Item
    from infrastructure.stores import Store


BAD = ("OrganizationFiled", {"name": "缺编号"})
"""A filing without its filing number."""


def facts(count: int) -> list[tuple[str, dict[str, Any]]]:
    """``count`` realistic facts of one community (filings first)."""
    made = Generator(COMMUNITY).years(2000, 2030, 60, [COMMUNITY])
    return [item for _, item in zip(range(count), made, strict=False)]


def numbered(items: list[Any]) -> list[Item]:
    return list(enumerate(items, start=1))


@pytest.fixture(
    params=[
        "in-memory",
        "sqlite_store",
        pytest.param("pg_store", marks=pytest.mark.postgres),
    ]
)
def ledger(request: pytest.FixtureRequest) -> Ledger:
    """A fresh community ledger: the library's in-memory store, or each real one."""
    if request.param != "in-memory":
        found: Ledger = open_node(request.getfixturevalue(request.param))
        return found
    plain = Ledger(COMMUNITY)
    plain.open("城东社区", None, "2020-01-02")
    return plain


def test_an_import_is_held_a_part_at_a_time(ledger: Ledger) -> None:
    items = facts(PART * 3 + 7)
    pending: list[int] = []

    def watch(_: int) -> None:
        pending.append(len(ledger.journal().pending_events))

    _receipts, problems = ledger.record_many(numbered(items), progress=watch)
    assert not problems
    assert ledger.head().seq == 1 + len(items)
    assert max(pending) < PART
    assert ledger.verify().ok


def test_a_bad_row_in_a_later_part_records_nothing(ledger: Ledger) -> None:
    items: list[Any] = facts(PART * 2 + 10)
    items.insert(PART * 2 + 3, BAD)
    head, orgs = ledger.head(), len(ledger.journal().orgs)
    with pytest.raises(BatchRejectedError) as rejected:
        ledger.record_many(numbered(items))
    assert [n for n, _ in rejected.value.problems] == [PART * 2 + 4]
    assert ledger.head() == head
    assert len(ledger.journal().orgs) == orgs
    del items[PART * 2 + 3]
    ledger.record_many(numbered(items))  # the good rows, again: all recorded now
    assert ledger.head().seq == head.seq + len(items)
    assert ledger.verify().ok


def test_a_failing_source_records_nothing(ledger: Ledger) -> None:
    head = ledger.head()

    def items() -> Any:
        yield from numbered(facts(PART + 50))
        raise OSError("the file went away")

    with pytest.raises(OSError, match="went away"):
        ledger.record_many(items())
    assert ledger.head() == head
    assert ledger.verify().ok


def test_a_row_repeating_one_of_an_earlier_part_is_held(ledger: Ledger) -> None:
    items = facts(PART * 2)
    again = [*items, items[3], items[PART + 1]]
    receipts, problems = ledger.record_many(numbered(again))
    assert not problems
    assert [r.already_recorded for r in receipts[-2:]] == [True, True]
    assert receipts[-2].seq == receipts[3].seq
    assert ledger.head().seq == 1 + len(items)


def test_partial_keeps_the_good_rows_of_every_part(ledger: Ledger) -> None:
    items: list[Any] = facts(PART * 2 + 20)
    bad = (PART - 1, PART * 2 + 5)
    for at in bad:
        items.insert(at, BAD)
    items.insert(PART + 3, InvalidFieldError(Text("line is not JSON")))
    wrong = [n for n, i in numbered(items) if i == BAD or not isinstance(i, tuple)]
    receipts, problems = ledger.record_many(numbered(items), partial=True)
    assert [n for n, _ in problems] == wrong
    assert len(wrong) == 3
    assert ledger.head().seq == 1 + len(receipts) == len(items) - 2
    assert ledger.verify().ok


def test_nobody_sees_an_import_before_it_commits(store: Store) -> None:
    ledger = open_node(store)
    other = store.open_ledger(COMMUNITY)  # another process's view of the store
    head = ledger.head()
    seen: list[int] = []

    def watch(done: int) -> None:
        if done >= PART * 2:
            seen.append(len(list(other.facts(after=head.seq))))

    ledger.record_many(numbered(facts(PART * 3)), progress=watch)
    assert seen
    assert set(seen) == {0}
    assert len(list(other.facts(after=head.seq))) == PART * 3
    other.close()
    ledger.close()


def test_a_second_writer_meanwhile_fails_the_import_whole(store: Store) -> None:
    first, second = open_node(store), store.open_ledger(COMMUNITY)
    second.head()  # caches the journal at seq 1
    first.record("OrganizationFiled", {"filing_number": "备X", "name": "先到的队",
                 "category": "文体活动", "effective_on": "2024-03-01"})  # fmt: skip
    items = numbered(facts(PART + 10))
    with pytest.raises(ConcurrentWriteError):
        second.record_many(items)
    assert len(list(first.facts())) == 2  # stored: the genesis and the other fact
    receipts, _ = second.record_many(items)  # the retry sees it, and records all
    assert second.head().seq == 2 + len(items) == receipts[-1].seq
    assert second.verify().ok
    first.close()
    second.close()

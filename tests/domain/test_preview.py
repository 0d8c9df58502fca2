"""A dry run says what recording a batch would do, item by item, and records nothing;
a batch read as it comes keeps nothing when its source fails."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from domain.errors import DuplicateFilingError, InvalidFieldError
from domain.messages import Text
from tests.factories import filing, open_node, subsidy

if TYPE_CHECKING:
    from collections.abc import Iterator

    from domain.receipts import Item
    from infrastructure.stores import Store


def test_a_dry_run_says_each_items_outcome_and_records_nothing(store: Store) -> None:
    ledger = open_node(store)
    ledger.record("OrganizationFiled", filing("备1", "城东舞蹈队"))
    head = ledger.head()
    previews = ledger.preview_many(
        [
            (1, ("OrganizationFiled", filing("备1", "城东舞蹈队"))),  # held
            (
                2,
                ("OrganizationFiled", filing("备1", "城东合唱团", category="公益慈善")),
            ),
            (3, ("OrganizationFiled", filing("备2", "邻里互助会"))),  # new
            (4, InvalidFieldError(Text("line is not JSON"))),
            (5, ("SubsidyDecided", subsidy("备2"))),  # names the new one
            (6, ("OrganizationFiled", filing("备2", "另一个"))),  # repeats item 3's id
        ]
    )
    assert [p.number for p in previews] == [1, 2, 3, 4, 5, 6]
    held, conflict, new, bad, decided, twice = previews
    assert held.receipt is not None
    assert (held.receipt.already_recorded, held.receipt.seq) == (True, 2)
    assert isinstance(conflict.error, DuplicateFilingError)
    assert (conflict.differs, conflict.held_seq) == (("name", "category"), 2)
    assert new.receipt is not None
    assert (new.receipt.already_recorded, new.receipt.seq) == (False, 3)
    assert str(bad.error) == "line is not JSON"
    assert decided.receipt is not None
    assert decided.receipt.seq == 4
    assert (twice.differs, twice.held_seq) == (("name",), 3)
    # Check: nothing was stored, and the journal recorded afterwards is intact.
    assert ledger.head() == head
    receipt = ledger.record("OrganizationFiled", filing("备2", "邻里互助会"))
    assert (receipt.seq, receipt.already_recorded) == (3, False)
    assert ledger.verify().ok


def test_a_batch_whose_source_fails_midway_records_none_of_it(store: Store) -> None:
    ledger = open_node(store)
    head = ledger.head()

    def items() -> Iterator[Item]:
        yield 1, ("OrganizationFiled", filing("备1", "城东舞蹈队"))
        raise OSError("the register's file went away")

    with pytest.raises(OSError, match="went away"):
        ledger.record_many(items())
    assert ledger.head() == head
    receipt = ledger.record("OrganizationFiled", filing("备1", "城东舞蹈队"))
    assert (receipt.seq, receipt.already_recorded) == (2, False)

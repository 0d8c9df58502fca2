"""An import is one transaction on both stores: a crash between the parts it is
written in (``domain.parted_save``) records nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from infrastructure import open_saves, recorders
from testdata.generator import Generator
from tests.factories import COMMUNITY

if TYPE_CHECKING:
    from infrastructure.stores import Store


class PowerCutError(RuntimeError):
    """The process dies here."""


def test_a_crash_inside_an_import_records_none_of_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = store.open_ledger(COMMUNITY, create=True)
    ledger.open("城东社区", None, "2020-01-02")
    items = list(enumerate(Generator(COMMUNITY).years(2000, 2030, 40, [COMMUNITY])))
    items = items[:3500]
    statements = {"n": 0}
    dying = {"n": 3 if store.database_url else 1}

    def count(original: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            statements["n"] += 1
            if statements["n"] == dying["n"]:
                raise PowerCutError("power cut between two insert statements")
            return result

        return wrapped

    if store.database_url:  # the third of seven parts, inside the transaction
        monkeypatch.setattr(
            open_saves, "composite_rows", count(open_saves.composite_rows)
        )
    else:  # every part written, the head not yet
        monkeypatch.setattr(
            recorders.BatchInsertRecorder,
            "_insert_tracking",
            count(recorders.BatchInsertRecorder._insert_tracking),
        )
    head = ledger.head()
    with pytest.raises(PowerCutError):
        ledger.record_many(items)
    monkeypatch.undo()
    ledger.close()
    # Check: a fresh process sees the journal as it was.
    ledger = store.open_ledger(COMMUNITY)
    assert ledger.head() == head
    assert ledger.verify().ok
    ledger.record_many(items)
    assert ledger.head().seq == head.seq + len(items)
    ledger.close()

"""`verify` finds any altered stored byte and any deleted fact, on both stores."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import COMMUNITY, filing, subsidy
from tests.projections.tampering import Tamperer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from domain.application import Ledger
    from infrastructure.stores import Store


def build(store: Store) -> Ledger:
    """A community ledger with Chinese text, grades, money and a correction."""
    ledger = store.open_ledger(COMMUNITY, create=True)
    ledger.open("城东社区", None, "2020-01-02")
    ledger.record(
        "OrganizationFiled",
        filing("备1", responsible_person={"name": "王秀英", "phone": "13805741234"}),
    )
    ledger.record("GradeEvaluated", {"org": "备1", "scheme": "class", "grade": "一类"})
    decided = ledger.record("SubsidyDecided", subsidy("备1"))
    ledger.record(
        "FactCorrected",
        {
            "corrects_seq": decided.seq,
            "reason": "金额更正",
            "replacement": {"note": "复核"},
        },
    )
    ledger.record("OrganizationFiled", filing("备2", name="邻里互助会"))
    return ledger


@pytest.fixture
def built(store: Store) -> Iterator[tuple[Ledger, Tamperer]]:
    ledger = build(store)
    yield ledger, Tamperer(store, COMMUNITY)
    ledger.close()


def fresh_verify(store: Store) -> list[str]:
    """Verify with a new process's view of the store (no cache)."""
    ledger = store.open_ledger(COMMUNITY)
    try:
        return [str(p) for p in ledger.verify().problems]
    finally:
        ledger.close()


def test_untouched_store_verifies(built: tuple[Ledger, Tamperer], store: Store) -> None:
    assert fresh_verify(store) == []


@pytest.mark.parametrize("seq", [1, 3, 6])
def test_changed_payload_byte_is_found(
    built: tuple[Ledger, Tamperer], store: Store, seq: int
) -> None:
    _, tamper = built
    row = tamper.rows()[seq - 1]
    at = row.state.index(b'"effective_on":"') + len(b'"effective_on":"') + 3
    tamper.set_state(seq, row.state[:at] + b"9" + row.state[at + 1 :])  # a year digit
    assert fresh_verify(store)[0].startswith(f"seq {seq}: ")


def test_changed_chinese_name_is_found(
    built: tuple[Ledger, Tamperer], store: Store
) -> None:
    _, tamper = built
    row = tamper.rows()[1]
    tamper.set_state(2, row.state.replace("舞蹈".encode(), "合唱".encode()))
    assert fresh_verify(store) == [
        "seq 2: hash does not match the fact's content "
        "(payload, type, seq or timestamp altered)"
    ]


def test_changed_timestamp_is_found(
    built: tuple[Ledger, Tamperer], store: Store
) -> None:
    _, tamper = built
    row = tamper.rows()[3]
    at = row.state.index(b'"recorded_at":"') + len(b'"recorded_at":"') + 15  # HH:MM
    digit = b"0" if row.state[at : at + 1] != b"0" else b"1"
    tamper.set_state(4, row.state[:at] + digit + row.state[at + 1 :])
    assert fresh_verify(store)[0].startswith("seq 4: hash does not match")


def test_changed_stored_hash_is_found(
    built: tuple[Ledger, Tamperer], store: Store
) -> None:
    _, tamper = built
    row = tamper.rows()[2]
    at = row.state.index(b'"hash":"') + len(b'"hash":"')
    digit = b"a" if row.state[at : at + 1] != b"a" else b"b"
    tamper.set_state(3, row.state[:at] + digit + row.state[at + 1 :])
    problems = fresh_verify(store)
    assert problems[0].startswith("seq 3: hash does not match")
    assert "seq 4: prev_hash does not link to the previous fact" in problems


def test_changed_seq_is_found(built: tuple[Ledger, Tamperer], store: Store) -> None:
    _, tamper = built
    tamper.set_version(3, 30)
    assert fresh_verify(store)[0] == "seq 3: missing (the next stored fact is seq 4)"


def test_changed_topic_is_found(built: tuple[Ledger, Tamperer], store: Store) -> None:
    _, tamper = built
    tamper.set_topic(
        5, tamper.rows()[4].topic.replace("FactCorrected", "FactCorrectes")
    )
    assert fresh_verify(store)[0].startswith("seq 5: stored fact cannot be decoded")


def test_moved_fact_is_found(built: tuple[Ledger, Tamperer], store: Store) -> None:
    _, tamper = built
    tamper.set_originator(2, "0" * 31 + "1")
    assert fresh_verify(store)[0] == "seq 2: missing (the next stored fact is seq 3)"


def test_deleted_middle_fact_is_found(
    built: tuple[Ledger, Tamperer], store: Store
) -> None:
    _, tamper = built
    tamper.delete(4)
    assert fresh_verify(store)[0] == "seq 4: missing (the next stored fact is seq 5)"


def test_deleted_last_fact_is_found(
    built: tuple[Ledger, Tamperer], store: Store
) -> None:
    _, tamper = built
    tamper.delete(6)
    assert fresh_verify(store) == [
        "seq 6: missing: the recorded head is seq 6 but the journal ends at seq 5"
    ]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_stored_byte_change_is_found(
    built: tuple[Ledger, Tamperer], store: Store, data: st.DataObject
) -> None:
    _, tamper = built
    rows = tamper.rows()
    row = data.draw(st.sampled_from(rows))
    at = data.draw(st.integers(0, len(row.state) - 1))
    new = data.draw(st.integers(0, 255).filter(lambda b: b != row.state[at]))
    tamper.set_state(row.version, row.state[:at] + bytes([new]) + row.state[at + 1 :])
    try:
        assert fresh_verify(store)[0].startswith(f"seq {row.version}: ")
    finally:
        tamper.set_state(row.version, row.state)
    assert fresh_verify(store) == []

"""Every kind of tampering in the suite is detected and located, or refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.sync.tamper_cases import CASES, run_case

if TYPE_CHECKING:
    from infrastructure.stores import Store


@pytest.mark.parametrize("name", list(CASES))
def test_tampering_is_detected_and_located_or_refused(store: Store, name: str) -> None:
    outcome = run_case(store, CASES[name][1])
    assert outcome.answer in {"detected", "refused"}, outcome
    assert outcome.located, outcome

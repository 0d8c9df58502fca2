"""Fixtures of the projection tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from infrastructure.stores import Store
from tests.projections.delivery import Stations

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def stations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stations]:
    """Two community stations with a varied history (corrections, revocations,
    upgrades, deregistrations), shared by a module's tests."""
    found = Stations(Store(tmp_path_factory.mktemp("stations")), seed=7)
    found.record(60)
    yield found
    found.close()

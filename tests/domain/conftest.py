"""Fixtures of the domain tests: the corpus of valid documents real ledgers make."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from infrastructure.stores import Store
from tests.domain.stored_corpus import Corpus, build

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """A community and its street with every kind of fact, shared by a module."""
    found = build(Store(tmp_path_factory.mktemp("corpus")))
    yield found
    found.close()

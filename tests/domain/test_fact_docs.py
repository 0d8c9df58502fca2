"""docs/facts.md names every stored field of every fact type, so it cannot drift."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from domain.catalogue import CATALOGUE
from domain.facts import ENVELOPE

DOC = (Path(__file__).parents[2] / "docs" / "facts.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("fact_type", sorted(CATALOGUE))
def test_every_stored_field_is_documented(fact_type: str) -> None:
    section = DOC.split(f"## {fact_type}")[1].split("\n## ")[0]
    fields = [
        f.name
        for f in dataclasses.fields(CATALOGUE[fact_type])
        if f.name not in ENVELOPE
    ]
    missing = [name for name in fields if f"`{name}`" not in section]
    assert not missing, f"{fact_type} fields missing from docs/facts.md: {missing}"

"""`--data` reads the same JSON inline, from a file (with or without a BOM) or stdin."""

from __future__ import annotations

import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.fact_input import read_data
from domain.errors import InvalidFieldError

scalars = st.none() | st.booleans() | st.integers() | st.text()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
objects = st.dictionaries(st.text(max_size=12), values, max_size=6)


@given(objects, st.booleans(), st.booleans())
def test_a_file_gives_the_object_written_to_it(
    document: dict[str, Any], bom: bool, ascii_only: bool
) -> None:
    text = json.dumps(document, ensure_ascii=ascii_only, indent=2)
    raw = text.encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fact.json"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)
        if not ascii_only and _has_surrogates(text):
            with pytest.raises(InvalidFieldError):
                read_data(f"@{path}")  # lone surrogates are no UTF-8
            return
        assert read_data(f"@{path}") == document
    assert read_data(json.dumps(document)) == document


@given(objects)
def test_stdin_gives_the_object_piped_in(document: dict[str, Any]) -> None:
    raw = json.dumps(document).encode()
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    previous, sys.stdin = sys.stdin, stdin
    try:
        assert read_data("-") == document
    finally:
        sys.stdin = previous


def _has_surrogates(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)

"""docs/registers.md lists the columns table as it is."""

from __future__ import annotations

from pathlib import Path

from infrastructure.spreadsheets.columns import kinds

DOC = Path(__file__).resolve().parents[3] / "docs" / "registers.md"


def test_the_page_lists_every_column_with_its_synonyms_and_field() -> None:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for kind in kinds().values():
        assert f"### {kind.title} — `{kind.key}` ({kind.fact_type})" in lines
        for c in kind.columns:
            row = (
                f"| {c.header} | {'、'.join(c.synonyms) or '—'} | `{c.field}` | "
                f"{'yes' if c.required else ''} |"
            )
            assert row in lines, row

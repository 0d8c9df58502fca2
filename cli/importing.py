"""Reading JSON-lines fact files: every line checked, numbered, and reported."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from domain.errors import InvalidFieldError, LedgerError, UnknownFieldError
from domain.messages import Text

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from domain.receipts import Item

MAX_LINE_BYTES = 1_000_000


LINE_SHAPE = '{"type": ..., "data": {...}}'
"""What each line of an import holds."""


def read_items(path: Path) -> list[Item]:
    """Numbered items of a JSONL file; a line that is not a fact becomes its error."""
    return list(iter_items(path))


def iter_items(path: Path) -> Iterator[Item]:
    """``read_items`` one line at a time, for a caller that lets each go once used."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if raw.strip():
                yield number, _parse_line(raw)


def count_items(path: Path) -> int:
    """How many items ``iter_items`` will give (lines that are not blank)."""
    with path.open("rb") as f:
        return sum(1 for raw in f if raw.strip())


def _parse_line(raw: bytes) -> tuple[object, object] | LedgerError:
    if len(raw) > MAX_LINE_BYTES:
        return InvalidFieldError(
            Text(
                "line is {size} bytes; at most {limit}",
                size=len(raw),
                limit=MAX_LINE_BYTES,
            )
        )
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return InvalidFieldError(Text("line is not valid UTF-8"))
    except json.JSONDecodeError as error:
        return InvalidFieldError(
            Text(
                "line is not JSON: {reason} at column {column}",
                reason=error.msg,
                column=error.colno,
            )
        )
    if not isinstance(document, dict) or "type" not in document:
        return InvalidFieldError(
            Text("line must be an object {shape}", shape=LINE_SHAPE)
        )
    unknown = sorted(set(document) - {"type", "data"})
    if unknown:
        return UnknownFieldError(
            Text("line has unknown key(s): {keys}", keys=", ".join(unknown))
        )
    return document["type"], document.get("data", {})


def progress_bar(
    total: int, label: str, *, enabled: bool, minimum: int = 1000
) -> Progress:
    """A rich progress bar (off for short work or when output is not a terminal)."""
    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        disable=not enabled or total < minimum,
        transient=True,
    )


def numbered(items: list[Item]) -> Iterator[Item]:
    """The items as they are: a seam for tests that interrupt an import."""
    yield from items

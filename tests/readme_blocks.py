"""The README's command blocks, read as a reader would run them.

``sh`` blocks are commands, run in order in one shell session; ``console`` blocks are
transcripts: ``$ command`` lines (continued by a trailing backslash), each followed by
the output it prints, where ``…`` stands for any text within a line (hashes, instants,
ids that differ per run). Blocks in other languages are not run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass
class Step:
    """One command of a block and, in a transcript, the output it should print."""

    command: str
    expected: list[str] | None = None
    line: int = 0


@dataclass
class Block:
    """A fenced block: its language, first line in the README, and its steps."""

    language: str
    line: int
    steps: list[Step] = field(default_factory=list)


def blocks(readme: Path) -> list[Block]:
    """The ``sh`` and ``console`` blocks of a Markdown file, in order."""
    found: list[Block] = []
    language: str | None = None
    body: list[tuple[int, str]] = []
    for number, text in enumerate(readme.read_text("utf-8").splitlines(), start=1):
        fence = FENCE.match(text)
        if fence and language is None:
            language, body = fence.group(1), []
            start = number
        elif text.strip() == "```" and language is not None:
            if language in ("sh", "console"):
                found.append(_block(language, start, body))
            language = None
        elif language is not None:
            body.append((number, text))
    return found


def _block(language: str, start: int, body: list[tuple[int, str]]) -> Block:
    block = Block(language, start)
    if language == "sh":  # one script: a quoted argument may span lines
        block.steps.append(Step("\n".join(text for _, text in body), None, start + 1))
        return block
    pending: list[str] = []
    for number, text in body:
        if not pending and not text.startswith("$ "):
            if block.steps and block.steps[-1].expected is not None:
                block.steps[-1].expected.append(text)
            continue
        if not pending:
            first = number
        pending.append(text[2:] if not pending else text)
        if not text.rstrip().endswith("\\"):
            block.steps.append(Step("\n".join(pending), [], first))
            pending = []
    return block


def matches(expected: list[str], actual: str) -> bool:
    """Whether ``actual`` prints the expected lines (``…``: any text in a line)."""
    lines = [line.rstrip() for line in actual.strip("\n").splitlines()]
    wanted = [line.rstrip() for line in expected]
    while wanted and not wanted[-1]:
        wanted.pop()
    if len(lines) != len(wanted):
        return False
    return all(
        re.fullmatch(".*?".join(map(re.escape, w.split("…"))), a)
        for w, a in zip(wanted, lines, strict=True)
    )

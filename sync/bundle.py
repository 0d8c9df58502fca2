"""Offline bundles: a gzip JSON-lines file carried by hand from a station to its parent.

Line 1 is a header, then a line per feed page, then a trailer with the count of
facts and the SHA-256 of the page lines: a truncated or altered file is refused whole.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.errors import LedgerError
from domain.messages import Text

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

FORMAT = "tierledger-bundle/1"


class BundleError(LedgerError):
    """A bundle that is truncated, altered or not a bundle; nothing was recorded."""

    code = "bad-bundle"


@dataclass
class Bundle:
    """A bundle's header and pages, checked against its trailer."""

    header: dict[str, Any]
    pages: list[dict[str, Any]]

    @property
    def source(self) -> str:
        """The node that exported it."""
        return str(self.header["source"])


def write(path: Path, header: dict[str, Any], pages: Iterable[dict[str, Any]]) -> int:
    """Write a bundle; return the number of facts in it."""
    digest, count = hashlib.sha256(), 0
    temporary = path.with_name(path.name + ".partial")
    # A bundle carries facts and personal data: owner-only, like the stores.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as f:
        f.write(_line({"format": FORMAT, **header}))
        for page in pages:
            line = _line(page)
            digest.update(line.encode("utf-8"))
            count += len(page["facts"])
            f.write(line)
        f.write(_line({"end": True, "facts": count, "sha256": digest.hexdigest()}))
    temporary.replace(path)  # a half-written bundle never carries the final name
    return count


def read(path: Path) -> Bundle:
    """Read and check a whole bundle before anything is ingested."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            lines = f.read().splitlines(keepends=True)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
        raise BundleError(
            Text(
                "{file} is truncated or not a bundle ({error})",
                file=path.name,
                error=str(error),
            )
        ) from None
    if len(lines) < 2:
        raise BundleError(Text("{file} is truncated: no trailer", file=path.name))
    header, trailer = _json(lines[0], path), _json(lines[-1], path)
    if header.get("format") != FORMAT or not trailer.get("end"):
        raise BundleError(
            Text(
                "{file} is truncated or not a {format} file",
                file=path.name,
                format=FORMAT,
            )
        )
    pages = [_json(line, path) for line in lines[1:-1]]
    digest = hashlib.sha256("".join(lines[1:-1]).encode("utf-8")).hexdigest()
    count = sum(len(page.get("facts", [])) for page in pages)
    if digest != trailer.get("sha256") or count != trailer.get("facts"):
        raise BundleError(
            Text(
                "{file} was altered or truncated: its trailer does not match",
                file=path.name,
            )
        )
    return Bundle(header, pages)


def _line(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _json(line: str, path: Path) -> dict[str, Any]:
    try:
        found = json.loads(line)
    except json.JSONDecodeError:
        raise BundleError(_damaged(path)) from None
    if not isinstance(found, dict):
        raise BundleError(_damaged(path))
    return found


def _damaged(path: Path) -> Text:
    return Text("{file} has a damaged line", file=path.name)

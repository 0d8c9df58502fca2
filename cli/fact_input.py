"""`--data`: a fact's JSON given inline, from a file (`@PATH`) or from stdin (`-`).

A large fact (a policy, a filing with long notes) does not fit a command line: the
operating system refuses it ("Argument list too long") before the command runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from cli.importing import MAX_LINE_BYTES
from domain.errors import InvalidFieldError
from domain.messages import Text

FIELD = "--data"
STDIN = "-"


def read_data(data: str) -> Any:
    """The JSON value ``--data`` gives: inline text, ``@PATH`` or ``-`` (stdin)."""
    if data == STDIN:
        return _parse(_decode(sys.stdin.buffer.read(MAX_LINE_BYTES + 1), data), data)
    if data.startswith("@"):
        return _parse(_decode(_read_file(data[1:]), data), data)
    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise InvalidFieldError(
            Text(
                "--data is not JSON: {reason} at column {column}",
                reason=error.msg,
                column=error.colno,
            ),
            field=FIELD,
        ) from None


def _read_file(name: str) -> bytes:
    if not name:
        raise InvalidFieldError(
            Text("--data @ names no file: write --data @PATH"), field=FIELD
        )
    path = Path(name)
    try:
        with path.open("rb") as file:
            return file.read(MAX_LINE_BYTES + 1)
    except FileNotFoundError:
        reason = Text("--data @{path}: no such file", path=name)
    except IsADirectoryError:
        reason = Text("--data @{path} is a folder, not a file", path=name)
    except PermissionError:
        reason = Text("--data @{path} cannot be read: permission denied", path=name)
    except OSError as error:
        reason = Text(
            "--data @{path} cannot be read: {reason}",
            path=name,
            reason=error.strerror or type(error).__name__,
        )
    raise InvalidFieldError(reason, field=FIELD)


def _decode(raw: bytes, source: str) -> str:
    if len(raw) > MAX_LINE_BYTES:
        raise InvalidFieldError(
            Text(
                "--data {source} holds more than {limit} bytes; a fact is smaller",
                source=source,
                limit=MAX_LINE_BYTES,
            ),
            field=FIELD,
        )
    try:
        return raw.decode("utf-8-sig")  # a BOM, as Windows editors write, is skipped
    except UnicodeDecodeError as error:
        raise InvalidFieldError(
            Text(
                "--data {source} is not UTF-8 text (byte {position})",
                source=source,
                position=error.start + 1,
            ),
            field=FIELD,
        ) from None


def _parse(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidFieldError(
            Text(
                "--data {source} is not JSON: {reason} at line {line}, column {column}",
                source=source,
                reason=error.msg,
                line=error.lineno,
                column=error.colno,
            ),
            field=FIELD,
        ) from None

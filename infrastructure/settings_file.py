"""``tierledger.env``: the settings file, read strictly.

One ``NAME=value`` per line; ``NAME`` is a setting's short name (``PORT``) or its
environment variable (``TIERLEDGER_PORT``), in any case; ``#`` starts a comment line
or, after a space, ends an unquoted value; a value may be quoted with ``"`` or ``'``;
``export`` before a name is allowed, so the file can be sourced by a shell. A name that
is not a setting is refused — a misspelt ``PROT=8601`` would otherwise leave the node
on the default port without a word — and so is a name given twice.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from domain.errors import LedgerError
from domain.messages import Text

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

PREFIX = "TIERLEDGER_"
_LINE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")


class SettingsError(LedgerError):
    """A settings file or value the node cannot run with."""

    code = "invalid-setting"


def read_settings_file(path: Path, known: Iterable[str]) -> dict[str, str]:
    """The settings a file gives (field name → value, empty values left out)."""
    fields = {name.upper(): name for name in known}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SettingsError(Text("{file} is not UTF-8 text", file=str(path))) from None
    except OSError as error:
        raise SettingsError(
            Text(
                "{file} cannot be read: {reason}",
                file=str(path),
                reason=error.strerror or type(error).__name__,
            )
        ) from None
    found: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, value = _binding(path, number, line, fields)
        if name in first_line:
            raise SettingsError(
                Text(
                    "{file} line {line}: {name} is already set on line {first}",
                    file=str(path),
                    line=number,
                    name=name.upper(),
                    first=first_line[name],
                )
            )
        first_line[name] = number
        if value:
            found[name] = value
    return found


def _binding(
    path: Path, number: int, line: str, fields: dict[str, str]
) -> tuple[str, str]:
    """The field and value of one ``NAME=value`` line."""
    matched = _LINE.match(line.strip())
    if matched is None:
        raise SettingsError(
            Text("{file} line {line}: expected NAME=value", file=str(path), line=number)
        )
    written, value = matched.groups()
    short = written.upper().removeprefix(PREFIX)
    if short not in fields:
        raise SettingsError(
            Text(
                "{file} line {line}: {name} is not a setting (the settings are "
                "{known})",
                file=str(path),
                line=number,
                name=written,
                known=", ".join(sorted(fields)),
            )
        )
    return fields[short], _unquoted(value)


def _unquoted(value: str) -> str:
    """A value without its quotes, or without a trailing `` # comment``."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return re.split(r"\s#", value, maxsplit=1)[0].strip()

"""The registers' columns (``columns.toml``): kinds of sheet, their headers, fields."""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources

_SPACES = re.compile(r"\s+")
_UNIT = re.compile(r"\([^()]*\)$")
_MARKS = "*:"
"""A required-column star and a trailing colon are not part of a header's name."""


@dataclass(frozen=True)
class Column:
    """One column of a kind of register: the fact field it fills, how it is headed."""

    field: str
    header: str
    synonyms: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Kind:
    """A kind of register (filings, subsidies …): the fact type each row records."""

    key: str
    fact_type: str
    title: str
    columns: tuple[Column, ...]

    @functools.cached_property
    def headers(self) -> dict[str, str]:
        """Header as compared (``header_key``) → the field it fills."""
        found: dict[str, str] = {}
        for column in self.columns:
            for name in (column.header, *column.synonyms):
                found.setdefault(header_key(name), column.field)
        return found

    @functools.cached_property
    def fields(self) -> dict[str, Column]:
        """Field → its column."""
        return {column.field: column for column in self.columns}

    @property
    def required(self) -> tuple[str, ...]:
        """The fields every sheet of this kind must give (by a column or ``--set``)."""
        return tuple(c.field for c in self.columns if c.required)


def header_key(text: str) -> str:
    """A header as compared: NFKC (full-width letters, digits, brackets), without
    spaces, a required-column star, a trailing colon or a unit in brackets —
    金额（元）, 金额(元) and 金 额 are one header."""
    folded = _SPACES.sub("", unicodedata.normalize("NFKC", text)).strip(_MARKS)
    return _UNIT.sub("", folded) or folded


@functools.cache
def kinds() -> dict[str, Kind]:
    """Every kind of register, in the order a workbook's sheets are recorded."""
    source = resources.files("infrastructure.spreadsheets") / "columns.toml"
    table = tomllib.loads(source.read_text(encoding="utf-8"))
    return {
        key: Kind(
            key=key,
            fact_type=spec["fact_type"],
            title=spec["title"],
            columns=tuple(
                Column(
                    field=c["field"],
                    header=c["header"],
                    synonyms=tuple(c.get("synonyms", ())),
                    required=bool(c.get("required", False)),
                )
                for c in spec["columns"]
            ),
        )
        for key, spec in table.items()
    }


def all_fields() -> list[str]:
    """Every field some kind of register fills, for ``--map`` and ``--set``."""
    return sorted({f for kind in kinds().values() for f in kind.fields})

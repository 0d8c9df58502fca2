"""One register row → one fact's input data, each cell converted by its field's
kind (date, money, count, text, or a name to resolve), and each problem kept with
the column it concerns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.errors import LedgerError, MissingFieldError
from domain.messages import Text
from infrastructure.spreadsheets import cells
from service.sheet_names import grade_scheme

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from infrastructure.spreadsheets.cells import Cell
    from infrastructure.spreadsheets.layout import Layout
    from service.sheet_names import CommunityNames, OrgNames

SCHEME_FIELD = {"grades": "scheme", "subsidies": "grade_scheme"}
"""The field naming a grade's scheme, by kind of register."""


@dataclass(frozen=True, slots=True)
class CellProblem:
    """What is wrong in a row: the column (from 0; None for a value given with
    ``--set`` or for the row as a whole), the message, its stable code."""

    column: int | None
    message: Text
    code: str


def converter(field: str) -> Callable[[Cell, str], Any]:
    """How a field's cells are read."""
    if field == "effective_on":
        return cells.to_date
    if field in ("amount", "funds") or field.startswith("shares."):
        return cells.to_fen
    if field in ("member_count", "score"):
        return cells.to_count
    return cells.to_text


def target(field: str) -> tuple[str, str | None]:
    """Where a field's value goes in the fact's input: money in fen, dotted fields
    nested (shares.street → shares_fen.street, responsible_person.phone)."""
    key, _, sub = field.partition(".")
    if key in ("amount", "funds", "shares"):
        key += "_fen"
    return key, sub or None


class RowBuilder:
    """Builds the input data of one kind of register's rows."""

    def __init__(
        self,
        layout: Layout,
        presets: Mapping[str, object],
        orgs: Callable[[], OrgNames],
        communities: CommunityNames,
    ) -> None:
        self.layout, self.orgs, self.communities = layout, orgs, communities
        self.slots = [
            (s.column, s.field, s.header, *target(s.field), converter(s.field))
            for s in layout.slots
        ]
        given = {s.field for s in layout.slots}
        self.presets = [
            (field, *target(field), value)
            for field, value in presets.items()
            if field in layout.kind.fields and field not in given
        ]
        self.defaults = {f: v for f, v in presets.items() if f in given}
        self.date_column = self._column("effective_on")[0]
        self.grade = self._column("grade")

    def _column(self, field: str) -> tuple[int | None, str]:
        """The column filling ``field`` (None if a --set value does) and its header."""
        for slot in self.layout.slots:
            if slot.field == field:
                return slot.column, slot.header
        column = self.layout.kind.fields.get(field)
        return None, column.header if column else field

    def build(self, row: list[Cell]) -> tuple[dict[str, Any], list[CellProblem]]:
        """The row's fact input, and what is wrong in its cells."""
        data: dict[str, Any] = {}
        problems: list[CellProblem] = []
        orgs: list[tuple[int, str, str]] = []
        width = len(row)
        for column, field, header, key, sub, convert in self.slots:
            try:
                value = convert(row[column] if column < width else None, header)
                if value is None and field in self.defaults:
                    value = self.defaults[
                        field
                    ]  # a --set value where the cell is empty
                if value is None:
                    continue
                if field == "org":
                    orgs.append((column, header, value))
                    continue
                if key == "shares_fen" and value == 0:
                    continue  # no money from that source
                value = self._named(field, value, header)
            except LedgerError as error:
                problems.append(CellProblem(column, error.text, error.code))
                continue
            _put(data, key, sub, value)
        for _, key, sub, value in self.presets:
            _put(data, key, sub, value)
        self._org(data, orgs, problems)
        self._scheme(data, problems)
        if "effective_on" not in data and not _at(problems, self.date_column):
            problems.append(self._no_date())
        return data, problems

    def _named(self, field: str, value: Any, header: str) -> Any:
        if field == "community":
            return self.communities.resolve(value, header)
        return value

    def _org(
        self,
        data: dict[str, Any],
        orgs: list[tuple[int, str, str]],
        problems: list[CellProblem],
    ) -> None:
        found: dict[str, list[int]] = {}
        for column, header, text in orgs:
            try:
                found.setdefault(self.orgs().resolve(text, header), []).append(column)
            except LedgerError as error:
                problems.append(CellProblem(column, error.text, error.code))
        if len(found) == 1:
            data["org"] = next(iter(found))
        elif len(found) > 1:
            message = Text(
                "{columns} name different organizations",
                columns="、".join(h for _, h, _ in orgs),
            )
            problems.extend(CellProblem(c, message, "ambiguous-name") for c, *_ in orgs)

    def _scheme(self, data: dict[str, Any], problems: list[CellProblem]) -> None:
        field = SCHEME_FIELD.get(self.layout.kind.key)
        if field is None or "grade" not in data:
            return
        grade, header = data["grade"], self.grade[1]
        try:
            data["grade"], data[field] = grade_scheme(grade, data.get(field), header)
        except LedgerError as error:
            problems.append(CellProblem(self.grade[0], error.text, error.code))

    def _no_date(self) -> CellProblem:
        header = self.layout.kind.fields["effective_on"].header
        return CellProblem(
            self.date_column,
            Text(
                "{header} is empty: every fact needs the date it happened (or "
                "--set effective_on=YYYY-MM-DD for the whole file)",
                header=header,
            ),
            MissingFieldError.code,
        )


def _at(problems: list[CellProblem], column: int | None) -> bool:
    return column is not None and any(p.column == column for p in problems)


def _put(data: dict[str, Any], key: str, sub: str | None, value: Any) -> None:
    if sub is None:
        data.setdefault(key, value)
    else:
        data.setdefault(key, {}).setdefault(sub, value)

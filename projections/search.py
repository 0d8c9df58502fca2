"""Search and filters over the registry: which organizations a page shows.

Chinese has no word boundaries, so a search text matches anywhere in a name, a
filing number or a USCC. It is matched twice: in SQL, over the identity facts known
at the point (any version's name: a superset, cheap to narrow a million facts to a
few rows), then exactly on each candidate's state at the point (``orgs.merge``), so
both stores answer the same. Only the page shown reads grades and subsidies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.errors import InvalidFieldError
from domain.messages import Text
from domain.text import fold_identifier
from projections import queries
from projections.models.base import marks
from projections.models.registry import RegistryPage
from projections.orgs import org_states
from projections.queries import Scope
from projections.registry import by_name, described

if TYPE_CHECKING:
    from projections.view import LedgerView, Point

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_NARROWING = str.maketrans(queries.WIDE, queries.NARROW)
IDS_AT_ONCE = 5000
"""Up to this many organizations are named one by one in a query (a page, or the
few a filter keeps); beyond, a query reads the filters' whole candidate set."""


def fold_case(text: str) -> str:
    """ASCII letters in lower case, every other character as it is: what both
    stores' LIKE ignores (SQLite's LIKE; PostgreSQL's ILIKE under ``COLLATE "C"``)."""
    return text.translate(_ASCII_LOWER)


def narrow(text: str) -> str:
    """Full-width forms (全角) as the ASCII characters they stand for (半角)."""
    return text.translate(_NARROWING)


def like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its ``%``, ``_`` and ``\\`` taken
    literally (escaped by backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class Needle:
    """A search text as names are compared (full-width forms narrowed) and as
    identifiers are (NFKC-folded, as they are kept); ASCII case folded in both."""

    name: str
    ident: str

    @classmethod
    def of(cls, text: str) -> Needle:
        """The needle of a parsed search text (``domain.text.parse_text``)."""
        return cls(fold_case(narrow(text)), fold_case(fold_identifier(text)))

    def found_in(self, state: dict[str, Any]) -> bool:
        """Whether an organization's name, filing number or USCC holds the text."""
        return (
            self.name in fold_case(narrow(state["name"] or ""))
            or self.ident in fold_case(state["filing_number"] or "")
            or self.ident in fold_case(state["uscc"] or "")
        )

    def condition(self, view: LedgerView) -> tuple[str, dict[str, str]]:
        """``queries.matching`` on the view's store, and its values."""
        params = {
            "q_name": like_pattern(self.name),
            "q_ident": like_pattern(self.ident),
        }
        if view.narrows_names:
            name = f"{queries.formattable(queries.NAME_NARROWED)} {view.like} :q_name"
            return queries.matching(view.like, f"{name} ESCAPE '\\'"), params
        name, pairs = self._widened(view.like)
        return queries.matching(view.like, name), {**params, **pairs}

    def _widened(self, like: str) -> tuple[str, dict[str, str]]:
        """The name condition without a narrowed copy of names: as it is, or, if it
        holds full-width forms, with those of the text's ASCII characters narrowed
        (``replace``: only they can be part of a match)."""
        plain = f"name {like} :q_name ESCAPE '\\'"
        twins = sorted(
            {
                (wide, char)
                for char in set(self.name) | set(self.name.upper())
                if char in queries.NARROW
                for wide in queries.WIDE[queries.NARROW.index(char)]
            }
        )
        if not twins:
            return plain, {}
        widened, pairs = "name", {"wide_glob": queries.WIDE_GLOB}
        for number, (wide, char) in enumerate(twins):
            widened = f"replace({widened}, :w{number}, :n{number})"
            pairs[f"w{number}"], pairs[f"n{number}"] = wide, char
        narrowed = f"name GLOB :wide_glob AND {widened} {like} :q_name ESCAPE '\\'"
        return f"({plain} OR ({narrowed}))", pairs


@dataclass(frozen=True)
class RegistryFilter:
    """Which organizations a registry page shows (None, or no areas: any)."""

    status: str | None = None
    legal_form: str | None = None
    areas: tuple[str, ...] = ()
    """Division code prefixes its home must have (a street's, a community's)."""
    grade: str | None = None
    """A grade in any scheme, as the organization's latest evaluation."""
    text: Needle | None = None
    category: str | None = None
    period: str | None = None
    """A period it has a live subsidy decision for."""

    def admits(self, state: dict[str, Any]) -> bool:
        """Whether an organization's state passes every filter its state decides."""
        return (
            (self.status is None or state["status"] == self.status)
            and (self.legal_form is None or state["legal_form"] == self.legal_form)
            and all(state["home"].startswith(area) for area in self.areas)
            and (self.category is None or state["category"] == self.category)
            and (self.text is None or self.text.found_in(state))
        )

    def scope(self, view: LedgerView) -> Scope | None:
        """The candidates the filters narrow to in SQL (None: everyone): a
        superset of those they admit, cheap to read."""
        conditions: list[str] = []
        params: dict[str, Any] = {}
        if self.text is not None:
            condition, values = self.text.condition(view)
            conditions.append(condition)
            params.update(values)
        for number, area in enumerate(self.areas):
            conditions.append(queries.in_area(f"area{number}"))
            params[f"area{number}"] = f"{area}%"  # digits only: nothing to escape
        if self.category is not None:
            conditions.append(queries.OF_CATEGORY)
            params["category"] = self.category
        return Scope(" AND ".join(conditions), params) if conditions else None


def find(
    view: LedgerView,
    point: Point,
    only: RegistryFilter,
    offset: int = 0,
    limit: int | None = None,
) -> RegistryPage:
    """The organizations known at ``point`` that ``only`` admits, by name then id:
    how many, and those from ``offset`` (at most ``limit``; None: all)."""
    scope = only.scope(view)
    kept = [s for s in org_states(view, point, scope).values() if only.admits(s)]
    if only.grade is not None and kept:
        graded = _graded(view, point, only.grade, _narrowest(kept, scope))
        kept = [s for s in kept if s["org_id"] in graded]
    if only.period is not None and kept:
        paid = _paid(view, point, only.period, _narrowest(kept, scope))
        kept = [s for s in kept if s["org_id"] in paid]
    if not kept:
        check_held(view, only)
    kept.sort(key=by_name)
    shown = kept[offset:] if limit is None else kept[offset : offset + limit]
    return RegistryPage(
        chain_broken=marks(point),
        total=len(kept),
        offset=offset,
        limit=len(kept) if limit is None else limit,
        items=described(view, point, shown, _narrowest(shown, scope)),
    )


def _narrowest(states: list[dict[str, Any]], scope: Scope | None) -> Scope | None:
    """The organizations ``states`` name, one by one when few (a page), else the
    filters' candidates in SQL (a superset)."""
    if 0 < len(states) <= IDS_AT_ONCE:
        return Scope.ids([state["org_id"] for state in states])
    return scope


def _graded(
    view: LedgerView, point: Point, grade: str, scope: Scope | None
) -> set[str]:
    """Organizations whose latest evaluation in some scheme is ``grade``."""
    if view.distinct_on:
        sql = queries.scoped(queries.LATEST_GRADE_DISTINCT_ON, scope)
    else:
        sql = queries.scoped(queries.LATEST_GRADE_SEEK, scope, "WHERE")
    params = {**point.params(), **(scope.params if scope else {})}
    return {org for org, held in view.fetch(sql, params) if held == grade}


def _paid(view: LedgerView, point: Point, period: str, scope: Scope | None) -> set[str]:
    """Organizations with a live subsidy for ``period`` at the point."""
    sql = queries.scoped(queries.PAID_IN_PERIOD, scope)
    params = {**point.params(), "period": period, **(scope.params if scope else {})}
    return {org for (org,) in view.fetch(sql, params)}


def check_held(view: LedgerView, only: RegistryFilter) -> None:
    """Refuse a category or period that nothing this node holds has, at any point
    (they are open lists: an unknown one is a mistake, not an empty answer)."""
    if only.category is not None and not view.fetch(
        "SELECT 1 FROM {view_identities} WHERE category = :c LIMIT 1",
        {"c": only.category},
    ):
        held = view.fetch(
            "SELECT DISTINCT category FROM {view_identities} "
            "WHERE category IS NOT NULL ORDER BY category",
            {},
        )
        raise InvalidFieldError(
            Text(
                "no organization this node holds has the category {category} "
                "(categories held: {held})",
                category=only.category,
                held="、".join(str(c) for (c,) in held) or "—",
            ),
            field="category",
        )
    if only.period is not None and not view.fetch(
        "SELECT 1 FROM {view_subsidies} WHERE period = :p LIMIT 1",
        {"p": only.period},
    ):
        raise InvalidFieldError(
            Text(
                "no subsidy this node holds is for the period {period}",
                period=only.period,
            ),
            field="period",
        )

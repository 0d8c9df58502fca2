"""Search and filters over the registry, on both stores: any part of a name, a filing
number or a USCC finds its organization, at any point, exactly as a scan of the whole
registry would."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.codes import NodeCode
from domain.errors import InvalidFieldError, InvalidGradeError, InvalidNodeCodeError
from projections import search
from projections.orgs import org_states
from projections.postgres_trigrams import NAMES
from projections.search_input import registry_filter
from projections.view import FOREVER, Point
from tests.factories import filing
from tests.projections.delivery import (
    COMMUNITIES,
    STREET,
    Stations,
    deliver,
    street,
    views_of,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store
    from projections.models.registry import Organization
    from projections.node_views import NodeViews

NODE = NodeCode(STREET)
ODD_NAMES = {
    "街备-1": "百分%之百舞蹈队",
    "街备-2": "下划_线书画社",
    "街备-3": "反斜\\杠合唱团",
    "街备-4": "ABC志愿者协会",
    "ZH-2024-007": "招宝山书画社19",
    "街备-5": "城西书画社１９（筹）",
}
"""Filed at the street itself: names holding LIKE's wildcards and its escape, ASCII
letters, and a filing number with letters."""


@pytest.fixture(scope="module")
def views(module_store: Store, stations: Stations) -> Iterator[NodeViews]:
    """A street holding both stations' varied facts and a few odd names of its own."""
    node = street(module_store, stations.keys())
    deliver(node, stations.pages(25))
    for number, name in ODD_NAMES.items():
        node.ledger.record("OrganizationFiled", filing(number, name))
    opened = views_of(module_store, node)
    opened.catch_up()
    yield opened
    opened.close()
    node.ledger.close()


def fold(text: str) -> str:
    """ASCII letters in lower case (the search ignores their case, only theirs)."""
    return "".join(c.lower() if c.isascii() else c for c in text)


def narrow(text: str) -> str:
    """Full-width forms (U+FF01–FF5E, U+3000) as their ASCII characters."""
    return "".join(
        " " if c == "\u3000" else chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c
        for c in text
    )


def holds(org: Organization, text: str) -> bool:
    """The search's definition, written out: the name holds the text, full-width
    forms narrowed on both sides; the filing number or USCC holds it NFKC-folded
    (as they are kept); ASCII letters' case ignored."""
    typed = unicodedata.normalize("NFC", text.strip())
    folded = unicodedata.normalize("NFKC", typed)
    return any(
        fold(needle) in fold(value or "")
        for needle, value in (
            (narrow(typed), narrow(org.name or "")),
            (folded, org.filing_number),
            (folded, org.uscc),
        )
    )


def scan(views: NodeViews, point: Point, text: str | None, **only: Any) -> list[Any]:
    """What a search must answer, from the whole registry at the point."""
    found = []
    for org in views.registry(point):
        if text is not None and not holds(org, text):
            continue
        if only.get("status") and org.status != only["status"]:
            continue
        if only.get("street") and not org.home.startswith(only["street"]):
            continue
        if only.get("community") and not org.home.startswith(only["community"]):
            continue
        if only.get("category") and org.category != only["category"]:
            continue
        grade = only.get("grade")
        if grade and not any(g.grade == grade for g in org.grades.values()):
            continue
        period = only.get("period")
        if period and not any(
            d.period == period and d.live
            for d in views.organization(org.org_id, point).subsidy_decisions
        ):
            continue
        found.append(org)
    return found


def found(
    views: NodeViews,
    point: Point,
    text: str | None,
    offset: int = 0,
    limit: int | None = None,
    **only: Any,
) -> Any:
    return search.find(
        views.view, point, registry_filter(NODE, text=text, **only), offset, limit
    )


def every_point(views: NodeViews) -> st.SearchStrategy[Point]:
    """A business date and a knowledge position anywhere in the street's history."""
    last = views.view.position()
    return st.builds(
        Point,
        st.sampled_from(["2018-12-31", "2020-06-30", "2022-12-31", FOREVER]),
        st.integers(1, last),
    )


@st.composite
def part_of_a_held_identifier(draw: st.DrawFn, views: NodeViews) -> str:
    """A piece of some held organization's name, filing number or USCC, maybe with
    its ASCII letters' case changed or its digits full-width."""
    orgs = views.registry(Point(FOREVER, views.view.position()))
    org = draw(st.sampled_from(orgs))
    whole = draw(
        st.sampled_from([v for v in (org.name, org.filing_number, org.uscc) if v])
    )
    start = draw(st.integers(0, len(whole) - 1))
    end = draw(st.integers(start + 1, len(whole)))
    part = whole[start:end]
    change = draw(st.sampled_from(["as is", "lower", "upper", "full-width"]))
    if change == "full-width":
        return part.translate(
            {ord(d): ord(d) - ord("0") + ord("０") for d in "0123456789"}
        )
    return (
        part.lower()
        if change == "lower"
        else part.upper()
        if change == "upper"
        else part
    )


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(["filed", "registered", "deregistered", "登记"]),
        "street": st.just(STREET),
        "community": st.sampled_from(COMMUNITIES),
        "category": st.just("文体活动"),
        "grade": st.sampled_from(["一类", "二类", "三类", "不合格"]),
        "period": st.sampled_from(["2020", "2022", "2024"]),
    },
)


@settings(max_examples=40)
@given(data=st.data())
def test_any_part_of_a_held_name_number_or_uscc_finds_exactly_what_a_scan_finds(
    views: NodeViews, data: st.DataObject
) -> None:
    text = data.draw(part_of_a_held_identifier(views))
    point = data.draw(every_point(views))
    page = found(views, point, text)
    expected = scan(views, point, text)
    # Check the search answers what a scan of the whole registry answers, in order.
    assert page.items == expected
    assert page.total == len(expected)
    # Check the organization the text came from is found once it exists.
    everything = Point(FOREVER, views.view.position())
    assert found(views, everything, text).total >= 1


@settings(max_examples=30)
@given(data=st.data(), only=FILTERS)
def test_filters_admit_exactly_what_a_scan_admits(
    views: NodeViews, data: st.DataObject, only: dict[str, str]
) -> None:
    text = data.draw(st.none() | part_of_a_held_identifier(views))
    point = data.draw(every_point(views))
    offset, limit = data.draw(st.integers(0, 5)), data.draw(st.integers(1, 7))
    status = {"登记": "registered"}.get(only.get("status", ""), only.get("status"))
    expected = scan(views, point, text, **{**only, "status": status})
    page = found(views, point, text, offset, limit, **only)
    # Check the page is the scan's, from the offset, and the total all of it.
    assert page.items == expected[offset : offset + limit]
    assert page.total == len(expected)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("%", ["百分%之百舞蹈队"]),
        ("_", ["下划_线书画社"]),
        ("\\", ["反斜\\杠合唱团"]),
        ("abc", ["ABC志愿者协会"]),
        ("zh-2024-００７", ["招宝山书画社19"]),
        ("招宝山书画社19", ["招宝山书画社19"]),
        ("书画社19", ["城西书画社１９（筹）", "招宝山书画社19"]),
        ("社１９(筹", ["城西书画社１９（筹）"]),
        ("ｚｈ-2024", ["招宝山书画社19"]),
    ],
)
def test_wildcards_are_literal_and_ascii_case_is_ignored(
    views: NodeViews, text: str, names: list[str]
) -> None:
    point = Point(FOREVER, views.view.position())
    assert [org.name for org in found(views, point, text).items] == names


@pytest.mark.parametrize("text", ["%", "_", "\\"])
def test_wildcards_are_literal_in_sql_too(views: NodeViews, text: str) -> None:
    # The exact check after SQL would hide a wildcard matching every name; the
    # candidates SQL reads show it.
    point = Point(FOREVER, views.view.position())
    scope = registry_filter(NODE, text=text).scope(views.view)
    assert [s["name"] for s in org_states(views.view, point, scope).values()] == [
        name for name in ODD_NAMES.values() if text in name
    ]


def test_a_search_before_a_filing_does_not_find_it(views: NodeViews) -> None:
    everything = views.view.position()
    # The odd names were filed on 2021-03-01, the street's last facts.
    assert found(views, Point(FOREVER, everything), "下划_线").total == 1
    assert found(views, Point("2021-02-28", everything), "下划_线").total == 0
    assert (
        found(views, Point(FOREVER, everything - len(ODD_NAMES)), "下划_线").total == 0
    )


@pytest.mark.parametrize(
    ("given", "error", "field"),
    [
        ({"status": "active"}, InvalidFieldError, "status"),
        ({"legal_form": "company"}, InvalidFieldError, "legal_form"),
        ({"grade": "6A"}, InvalidGradeError, "grade"),
        ({"street": "330211001001"}, InvalidNodeCodeError, "street"),
        ({"community": "330211001"}, InvalidNodeCodeError, "community"),
        ({"community": "3302110010"}, InvalidNodeCodeError, "community"),
        ({"street": "330212001"}, InvalidFieldError, "street"),
        ({"text": "书\u200b画"}, InvalidFieldError, "q"),
        ({"text": "   "}, InvalidFieldError, "q"),
        ({"text": "书" * 101}, InvalidFieldError, "q"),
        ({"period": "20 24"}, InvalidFieldError, "period"),
    ],
)
def test_a_wrong_filter_is_an_error_naming_it(
    given: dict[str, str], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as raised:
        registry_filter(NODE, **given)
    assert getattr(raised.value, "field", None) == field


@pytest.mark.parametrize(
    ("given", "field"),
    [({"category": "体育健身"}, "category"), ({"period": "1999"}, "period")],
)
def test_a_category_or_period_nothing_holds_is_an_error(
    views: NodeViews, given: dict[str, Any], field: str
) -> None:
    point = Point(FOREVER, views.view.position())
    with pytest.raises(InvalidFieldError) as raised:
        found(views, point, None, **given)
    assert raised.value.field == field


@pytest.mark.parametrize("module_store", ["postgres"], indirect=True)
def test_postgresql_finds_longer_texts_through_trigram_indexes(
    views: NodeViews, module_store: Store
) -> None:
    assert module_store.database_url is not None  # trigram indexes are PostgreSQL's
    with psycopg.connect(module_store.database_url) as conn:
        available = conn.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
        ).fetchone()
        held = {
            row[0]
            for row in conn.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = %s",
                [module_store.schema(NODE)],
            )
        }
    assert available is not None, "the test server has no pg_trgm"
    # Check names, filing numbers and USCCs each have their trigram index.
    assert set(NAMES) <= held

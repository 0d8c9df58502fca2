"""概览, 组织库, 组织详情 and a fact's page at the seed network's street, both stores:
the numbers the roll-up gives, search by a Chinese substring, facets in the address,
pages, and bad values beside their fields."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import TYPE_CHECKING

from infrastructure.i18n import translator
from testdata import seed
from tests.web.conftest import sign_in
from web.fact_fields import field_rows

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

ENGLISH = {"Accept-Language": "en"}


def test_overview_tables_and_charts_agree(street: TestClient) -> None:
    sign_in(street, "王秀英")
    page = street.get("/web/overview", params={"as_of": "2024-12-31"})
    assert page.status_code == 200
    assert re.search(r'id="filed-total">\d+<', page.text)
    charts = [
        json.loads(unescape(c)) for c in re.findall(r"data-chart='([^']+)'", page.text)
    ]
    organizations = charts[0]
    filed = sum(organizations["series"][0]["values"])
    assert f'id="filed-total">{filed}<' in page.text
    for community in ("城东社区", "胜利路社区", "总浦桥社区"):
        assert community in organizations["labels"]
    assert "2024" in charts[2]["labels"]  # money by period


def test_search_by_a_chinese_substring_and_facets(street: TestClient) -> None:
    sign_in(street, "王秀英")
    found = street.get("/web/registry", params={"q": "腰鼓"})
    names = re.findall(
        r'<td><a href="/web/registry/[^"]+">([^<]+)</a></td>', found.text
    )
    assert names
    assert all("腰鼓" in name for name in names)
    everyone = street.get("/web/registry", params={"q": "招宝山"})
    narrowed = street.get(
        "/web/registry", params={"q": "招宝山", "community": seed.COMMUNITIES[0]}
    )
    total = re.compile(r"共找到 (\d+) 个组织")
    assert int(total.findall(narrowed.text)[0]) == 35  # 103 filed, one in three here
    assert int(total.findall(everyone.text)[0]) == seed.FILED
    assert f'value="{seed.COMMUNITIES[0]}" selected' in narrowed.text
    assert "/export/registry?format=xlsx" in found.text


def test_pages_of_fifty(street: TestClient) -> None:
    sign_in(street, "王秀英")
    first = street.get("/web/registry")
    assert len(re.findall(r'<td><a href="/web/registry/', first.text)) == 50
    assert 'rel="next"' in first.text
    second = street.get("/web/registry", params={"offset": "100"})
    assert 'rel="prev"' in second.text
    assert 'rel="next"' not in second.text  # 103 organizations


def test_a_bad_facet_is_an_error_beside_it(street: TestClient) -> None:
    sign_in(street, "王秀英")
    page = street.get("/web/registry", params={"status": "gone"}, headers=ENGLISH)
    assert page.status_code == 400
    assert 'id="status-error"' in page.text
    assert 'href="#status"' in page.text  # the summary links to the field


def test_organization_page_shows_every_fact_and_clerk_actions(
    street: TestClient,
) -> None:
    sign_in(street, "王秀英")
    registry = street.get("/web/registry", params={"q": seed.filing_number(0)})
    link = re.search(r'href="(/web/registry/[^"?]+)', registry.text)
    assert link
    page = street.get(link.group(1))
    assert page.status_code == 200
    facts = re.findall(r'href="/web/facts/(\d+)/(\d+)"', page.text)
    origins = {origin for origin, _ in facts}
    assert {seed.COMMUNITIES[0], seed.STREET} <= origins  # filed below, graded here
    assert "/web/record/grade?org=" in page.text
    assert "备案" in page.text


def test_an_auditor_sees_no_clerk_actions(street: TestClient) -> None:
    sign_in(street, "李建国")
    registry = street.get("/web/registry", params={"q": seed.filing_number(0)})
    link = re.search(r'href="(/web/registry/[^"?]+)', registry.text)
    assert link
    assert "/web/record/" not in street.get(link.group(1)).text


def test_fact_page_and_unknowns(street: TestClient) -> None:
    sign_in(street, "王秀英")
    fact = street.get(f"/web/facts/{seed.STREET}/1")
    assert fact.status_code == 200
    assert re.search(r'id="fact-hash">[0-9a-f]{64}<', fact.text)
    assert street.get(f"/web/facts/{seed.STREET}/999999").status_code == 404
    assert street.get("/web/facts/notacode/1").status_code == 404
    assert street.get("/web/registry/no-such-org").status_code == 404


def test_a_facts_fields_are_named_in_chinese_beside_their_keys(
    street: TestClient,
) -> None:
    sign_in(street, "王秀英")
    subsidy = street.app.state.node.ledger.head().seq  # type: ignore[attr-defined]
    page = unescape(street.get(f"/web/facts/{seed.STREET}/{subsidy}").text)
    assert (
        '<td>金额（分） <span class="mono">amount_fen</span></td><td>350000</td>'
        in page
    )
    assert '<span class="mono">grade_scheme</span></td><td>分类评定</td>' in page
    english = unescape(
        street.get(f"/web/facts/{seed.STREET}/{subsidy}", headers=ENGLISH).text
    )
    assert '<td>Amount (fen) <span class="mono">amount_fen</span></td>' in english


def test_yes_and_no_and_unlabelled_keys_on_a_facts_page() -> None:
    rows = field_rows(
        {"passed": False, "shares": {"street": 100}, "span": "ab"},
        translator("zh_CN"),
        str,
    )
    assert rows == [
        ("passed", "是否通过", "否"),
        ("shares.street", "街道资金（分）", "100"),
        ("span", "", "ab"),
    ]

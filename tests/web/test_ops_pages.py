"""对账, 审计, 同步 and 政策 pages at the seed network's street, with one mistake."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from domain.codes import NodeCode
from testdata import seed
from tests.projections.tampering import Tamperer
from tests.web.conftest import csrf_of, sign_in

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from infrastructure.stores import Store

ENGLISH = {"Accept-Language": "en"}


def test_reconciliation_shows_the_mistake_with_its_evidence(street: TestClient) -> None:
    sign_in(street, "李建国")
    page = street.get("/web/reconcile", params={"as_of": "2024-12-31"})
    assert page.status_code == 200
    assert "补助金额超出等级档次" in page.text  # R1's title, in Chinese
    assert re.search(r'id="findings-now">1<', page.text)
    evidence = re.findall(r'href="/web/facts/(\d+)/(\d+)"', page.text)
    assert (seed.STREET, evidence[0][1]) == evidence[0]
    assert "/web/registry/" in page.text
    english = street.get("/web/reconcile?as_of=2024-12-31", headers=ENGLISH)
    assert "amount outside the policy&#39;s band" in english.text


def test_reconciliation_before_the_mistake_finds_nothing(street: TestClient) -> None:
    sign_in(street, "王秀英")
    page = street.get("/web/reconcile", params={"as_of": "2024-01-31"})
    assert re.search(r'id="findings-now">0<', page.text)
    assert "没有发现" in page.text or "No finding" not in page.text


def test_a_bad_date_is_an_error_beside_its_field(street: TestClient) -> None:
    sign_in(street, "李建国")
    for path in ("/web/reconcile", "/web/policy", "/web/audit/timeline/x"):
        page = street.get(path, params={"as_of": "2024-02-30"})
        assert page.status_code == 200, path
        assert 'id="as_of-error"' in page.text, path


def test_policy_page_shows_the_bands_in_yuan(street: TestClient) -> None:
    sign_in(street, "王秀英")
    page = street.get("/web/policy", params={"as_of": "2024-12-31"})
    assert page.status_code == 200
    assert seed.policy()["name"] in page.text
    assert re.search(r"<td>一类</td><td class=\"numeric\">[\d,]+\.\d\d</td>", page.text)
    before = street.get("/web/policy", params={"as_of": "2020-01-01"})
    assert "尚未采用" in before.text or 'class="notice"' in before.text


def test_audit_lists_chains_and_an_auditor_verifies_them(street: TestClient) -> None:
    sign_in(street, "李建国")
    page = street.get("/web/audit")
    assert page.status_code == 200
    for community in seed.COMMUNITIES:
        assert community in page.text
    verified = street.post("/web/audit/verify", data={"csrf_token": csrf_of(page.text)})
    assert verified.status_code == 200
    assert 'id="verification"' in verified.text
    assert "tag-error" not in verified.text


def test_a_broken_chain_is_explained_in_the_auditors_language(
    street: TestClient, store: Store
) -> None:
    community = NodeCode(seed.COMMUNITIES[0])
    tamper = Tamperer(store, NodeCode(seed.STREET), community)
    row = next(r for r in tamper.rows() if b'"name":"' in r.state)
    tamper.set_state(row.version, row.state.replace(b'"name":"', b'"name":"X', 1))
    sign_in(street, "李建国")
    page = street.get("/web/audit")
    verified = street.post("/web/audit/verify", data={"csrf_token": csrf_of(page.text)})
    assert "tag-error" in verified.text
    assert f"<li>序号 {row.version}：哈希与事实内容不符" in verified.text
    english = street.post(
        "/web/audit/verify", data={"csrf_token": csrf_of(page.text)}, headers=ENGLISH
    )
    assert f"<li>seq {row.version}: hash does not match" in english.text


def test_a_clerk_cannot_audit_and_a_form_without_csrf_is_refused(
    street: TestClient,
) -> None:
    sign_in(street, "王秀英")
    home = street.get("/web/sync")
    assert 'href="/web/audit"' not in home.text  # not offered in the bar
    assert street.get("/web/audit").status_code == 403
    refused = street.post("/web/audit/verify", data={"csrf_token": csrf_of(home.text)})
    assert refused.status_code == 403
    street.cookies.clear()
    sign_in(street, "李建国")
    forged = street.post("/web/audit/verify", data={"csrf_token": "forged"})
    assert forged.status_code == 403


def test_timeline_by_filing_number_and_an_unknown_one(street: TestClient) -> None:
    sign_in(street, "李建国")
    number = seed.filings()[seed.COMMUNITIES[0]][0][1]["filing_number"]
    found = street.get(
        "/web/audit/timeline", params={"org": number}, follow_redirects=False
    )
    assert found.status_code == 303
    page = street.get(found.headers["location"])
    assert page.status_code == 200
    assert "OrganizationFiled" not in page.text  # named in words, not by key
    assert "备案" in page.text
    unknown = street.get("/web/audit/timeline", params={"org": "没有这个"})
    assert unknown.status_code == 400
    assert 'id="org-error"' in unknown.text


def test_diff_between_two_dates_names_the_facts(street: TestClient) -> None:
    sign_in(street, "李建国")
    page = street.get(
        "/web/audit/diff", params={"as_of_from": "2024-01-01", "as_of_to": "2024-12-31"}
    )
    assert page.status_code == 200
    assert "/web/facts/" in page.text
    half = street.get("/web/audit/diff", params={"as_of_from": "2024-01-01"})
    assert half.status_code == 400
    assert 'id="as_of_to-error"' in half.text or 'id="as_of_from-error"' in half.text


def test_sync_page_lists_children_and_their_lag(street: TestClient) -> None:
    sign_in(street, "王秀英")
    page = street.get("/web/sync", headers=ENGLISH)
    assert page.status_code == 200
    for community in seed.COMMUNITIES:
        assert community in page.text
    assert "No open fork" in page.text


def test_resolving_an_unknown_fork_is_an_error_beside_the_note(
    street: TestClient,
) -> None:
    sign_in(street, "王秀英")
    page = street.get("/web/sync")
    answer = street.post(
        "/web/sync/resolve",
        data={"csrf_token": csrf_of(page.text), "origin": seed.COMMUNITIES[0],
              "seq": "3", "note": "核实"},
    )  # fmt: skip
    assert answer.status_code == 400
    assert 'class="error-summary"' in answer.text

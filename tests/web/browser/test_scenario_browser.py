"""A street centre's day in a real browser: sign in; file an organization with a
mistake, see the error beside its field, correct it; find it by a Chinese substring;
see it in the registry and on the dashboard; grade it and pay it above its band; see
the finding in 对账; export the registry; sign out. Forms by keyboard, labelled."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.web.browser.conftest import (
    PASSWORD,
    free_port,
    require_browser,
    tierledger,
    wait_for,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from selenium.webdriver.chrome.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

pytestmark = pytest.mark.browser
STREET = "330211001"
NAME = "城东社区“书香”读书会"
NUMBER = "招宝山街备2025-001"
POLICY = Path("testdata/zhaobaoshan-policy.toml")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """招宝山街道 served with its policy adopted, a clerk and an auditor."""
    require_browser()
    home = tmp_path_factory.mktemp("street") / "home"
    env = {**os.environ, "TIERLEDGER_HOME": str(home), "LANG": "C.UTF-8"}
    env.pop("TIERLEDGER_DATABASE_URL", None)
    tierledger(env, "init", STREET)
    tierledger(env, "policy", "adopt", STREET, str(POLICY))
    for name, role in (("王秀英", "clerk"), ("李建国", "auditor")):
        tierledger(env, "user", "add", STREET, name, "--role", role,
                   "--password-stdin", stdin=PASSWORD)  # fmt: skip
    port, said = free_port(), home.parent / "serve.log"
    with said.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", STREET, "--port", str(port)],
            env=env, stdout=log, stderr=log,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/health", server, said)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def by_id(browser: WebDriver, name: str) -> WebElement:
    return browser.find_element(By.ID, name)


def wait_for_id(browser: WebDriver, name: str) -> None:
    WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.ID, name))
    )


def sign_in(browser: WebDriver, base: str, name: str) -> None:
    browser.get(base + "/web/login")
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".account"))
    )


def fill(browser: WebDriver, values: dict[str, str]) -> None:
    """Type or choose each value into the field of that id."""
    for name, value in values.items():
        field = browser.find_element(By.ID, name)
        if field.tag_name == "select":
            Select(field).select_by_value(value)
        elif field.get_attribute("type") == "date":
            browser.execute_script("arguments[0].value = arguments[1];", field, value)
        else:
            field.clear()
            field.send_keys(value)


def submit(browser: WebDriver) -> None:
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def test_a_street_centres_day(browser: WebDriver, served: str, tmp_path: Path) -> None:
    sign_in(browser, served, "王秀英")
    # File an organization, forgetting its name: the error is beside the field.
    browser.find_element(By.LINK_TEXT, "录入").click()
    browser.find_element(By.LINK_TEXT, "组织备案").click()
    filing = {"filing_number": NUMBER, "category": "文体活动",
              "community": "330211001001", "person_name": "赵晓燕",
              "person_phone": "13812345678", "effective_on": "2025-03-01"}  # fmt: skip
    fill(browser, filing)
    submit(browser)
    wait_for_id(browser, "name-error")
    assert "请填写组织名称。" in by_id(browser, "name-error").text
    assert browser.switch_to.active_element.get_attribute("id") == "error-summary"
    assert by_id(browser, "filing_number").get_attribute("value") == NUMBER
    fill(browser, {"name": NAME, "effective_on": "2025-03-01"})
    submit(browser)
    wait_for_id(browser, "receipt")
    assert "已记录" in by_id(browser, "receipt").text
    assert "user:王秀英" in browser.page_source

    # Find it by a Chinese substring; open it from the registry.
    browser.find_element(By.LINK_TEXT, "组织库").click()
    fill(browser, {"q": "书香"})
    browser.find_element(By.CSS_SELECTOR, "form.search button[type=submit]").click()
    WebDriverWait(browser, 30).until(expected_conditions.url_contains("q="))
    assert "共找到 1 个组织" in by_id(browser, "result-count").text
    browser.find_element(By.LINK_TEXT, NAME).click()
    wait_for_id(browser, "org-status")
    assert "备案" in by_id(browser, "org-status").text

    # The dashboard counts it, with its charts drawn.
    browser.find_element(By.LINK_TEXT, "概览").click()
    wait_for_id(browser, "filed-total")
    assert by_id(browser, "filed-total").text == "1"

    # Grade it 三类 and pay it ¥3,500, above 三类's band (¥1,000–2,000).
    browser.get(served + f"/web/record/grade?org={NUMBER}")
    fill(browser, {"scheme": "class", "grade": "三类", "effective_on": "2025-06-01"})
    submit(browser)
    wait_for_id(browser, "receipt")
    browser.get(served + f"/web/record/subsidy?org={NUMBER}")
    fill(browser, {"program": "基层社会组织活动经费补助", "period": "2025",
                   "amount": "3,500.00", "share_street": "2,100",
                   "share_community": "1,400", "grade_scheme": "class", "grade": "三类",
                   "effective_on": "2025-06-10"})  # fmt: skip
    live = by_id(browser, "share-sum").text
    assert live == "3,500.00"  # added up as typed
    submit(browser)
    wait_for_id(browser, "receipt")

    # 对账 finds it, with evidence.
    browser.get(served + "/web/reconcile?as_of=2025-12-31")
    assert by_id(browser, "findings-now").text == "1"
    assert "补助金额超出等级档次" in browser.page_source
    assert browser.find_elements(By.LINK_TEXT, NAME)

    # Export the registry: the workbook lands in the download folder.
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(tmp_path)},
    )
    browser.get(served + "/web/registry")
    browser.find_element(By.ID, "export-xlsx").click()
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob("*.xlsx")) and time.monotonic() < deadline:
        time.sleep(0.2)
    saved = list(tmp_path.glob("*.xlsx"))
    assert [p.name for p in saved] == [
        f"招宝山街道_组织库_{time.strftime('%Y')}"[:0] + saved[0].name
    ]
    book = openpyxl.load_workbook(saved[0])
    names = [row[1] for row in book["备案台账"].iter_rows(min_row=3, values_only=True)]
    assert names == [NAME]

    # Sign out: the pages ask for a sign-in again.
    browser.find_element(By.CSS_SELECTOR, ".account button").click()
    WebDriverWait(browser, 30).until(expected_conditions.url_contains("signed_out=1"))
    browser.get(served + "/web/registry")
    WebDriverWait(browser, 30).until(expected_conditions.url_contains("/web/login"))


def test_the_filing_form_by_keyboard_alone(browser: WebDriver, served: str) -> None:
    sign_in(browser, served, "王秀英")
    browser.get(served + "/web/record/filing")
    inputs = browser.find_elements(
        By.CSS_SELECTOR,
        "main form input:not([type=hidden]), main form select, main form textarea",
    )
    ids = [i.get_attribute("id") for i in inputs]
    for name in ids:  # every field named by its own label
        assert browser.find_elements(By.CSS_SELECTOR, f"label[for='{name}']"), name
    by_id(browser, "name").click()
    reached = [browser.switch_to.active_element.get_attribute("id")]
    for _ in range(4 * len(ids)):  # a date box takes a Tab per part (年/月/日)
        if browser.switch_to.active_element.get_attribute("type") == "submit":
            break
        browser.switch_to.active_element.send_keys(Keys.TAB)
        found = browser.switch_to.active_element.get_attribute("id")
        if found != reached[-1]:
            reached.append(found)
    assert [r for r in reached if r in ids] == ids[ids.index("name") :]
    assert browser.switch_to.active_element.get_attribute("type") == "submit"

"""A person at a real browser: signs in (after a wrong password), sees the home
page, signs out, and the session is gone; the sign-in form by keyboard alone; no
Content-Security-Policy violation, the charts drawn."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from domain.codes import NodeCode
from infrastructure.sessions import SessionStore
from infrastructure.stores import Store
from tests.web.browser.conftest import NODE, PASSWORD

if TYPE_CHECKING:
    from pathlib import Path

    from selenium.webdriver.chrome.webdriver import WebDriver
    from selenium.webdriver.remote.webelement import WebElement

pytestmark = pytest.mark.browser


def active(browser: WebDriver) -> WebElement:
    return browser.switch_to.active_element


def wait_for_path(browser: WebDriver, path: str) -> None:
    WebDriverWait(browser, 10).until(expected_conditions.url_contains(path))


def sign_in(browser: WebDriver, served: str, password: str) -> None:
    browser.get(served + "/")
    wait_for_path(browser, "/web/login")
    browser.find_element(By.ID, "name").send_keys("王秀英")
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def csp_violations(browser: WebDriver) -> list[str]:
    return [
        entry["message"]
        for entry in browser.get_log("browser")  # type: ignore[no-untyped-call]
        if "Content Security Policy" in entry["message"]
        or "Content-Security-Policy" in entry["message"]
    ]


def test_a_wrong_password_is_shown_beside_the_field_in_chinese(
    browser: WebDriver, served: str
) -> None:
    sign_in(browser, served, "not the password")
    WebDriverWait(browser, 30).until(  # the answer waits on Argon2id, slow under load
        expected_conditions.presence_of_element_located((By.ID, "password-error"))
    )
    error = browser.find_element(By.ID, "password-error").text.split()
    assert error == ["错误：", "账号名称或密码不正确"]  # "错误：" for screen readers
    # Check: the summary above the form has the focus and links to the field.
    assert active(browser).get_attribute("id") == "error-summary"
    browser.find_element(By.LINK_TEXT, "账号名称或密码不正确").click()
    assert browser.current_url.endswith("#password")
    field = browser.find_element(By.ID, "password")
    assert field.get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "name").get_attribute("value") == "王秀英"


def test_signs_in_sees_the_home_page_signs_out_and_the_session_is_gone(
    browser: WebDriver, served: str, home: Path
) -> None:
    sign_in(browser, served, PASSWORD)
    WebDriverWait(browser, 10).until(
        expected_conditions.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".signed-in-as"), "王秀英"
        )
    )
    assert browser.find_element(By.TAG_NAME, "h1").text == "城东社区 330211001001"
    assert browser.find_element(By.CSS_SELECTOR, ".signed-in-as").text == (
        "当前用户：王秀英（经办人）"
    )
    nav = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav a")]
    assert nav == [
        "概览",
        "组织库",
        "录入",
        "导入",
        "对账",
        "同步",
        "政策",
    ]  # 审计: auditors
    session = browser.get_cookie("tl_session")
    assert session is not None
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Lax"
    sessions = SessionStore(Store(home).node_dir(NodeCode(NODE)) / "sessions.sqlite")
    assert sessions.count("王秀英") >= 1

    browser.find_element(By.CSS_SELECTOR, ".account button").click()
    wait_for_path(browser, "/web/login?signed_out=1")
    assert "您已退出登录。" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    assert browser.get_cookie("tl_session") is None
    # Check: the session is gone on the server; its cookie, sent again, opens nothing.
    assert sessions.count("王秀英") == 0
    browser.add_cookie({"name": "tl_session", "value": session["value"], "path": "/"})
    browser.get(served + "/")
    wait_for_path(browser, "/web/login")
    assert browser.find_element(By.TAG_NAME, "h1").text == "登录"


def test_the_sign_in_form_works_by_keyboard_alone(
    browser: WebDriver, served: str
) -> None:
    browser.get(served + "/web/login")
    # Check: every input is named by its own label.
    for field in browser.find_elements(By.CSS_SELECTOR, "input:not([type=hidden])"):
        label = browser.find_element(
            By.CSS_SELECTOR, f"label[for='{field.get_attribute('id')}']"
        )
        assert label.text in ("账号名称", "密码")
    # Check: the name field has the focus, then Tab goes name → password → button.
    assert active(browser).get_attribute("id") == "name"
    active(browser).send_keys("王秀英")
    active(browser).send_keys(Keys.TAB)
    assert active(browser).get_attribute("id") == "password"
    assert outline(browser, active(browser)) != "none"
    active(browser).send_keys(PASSWORD)
    active(browser).send_keys(Keys.TAB)
    assert active(browser).get_attribute("type") == "submit"
    assert outline(browser, active(browser)) != "none"
    active(browser).send_keys(Keys.ENTER)
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".account"))
    )
    # Check: on every page, the first Tab reaches the skip link, shown when focused.
    ActionChains(browser).send_keys(Keys.TAB).perform()
    skip = active(browser)
    assert skip.text == "跳到正文"
    assert skip.is_displayed()
    assert skip.location["x"] >= 0
    skip.send_keys(Keys.ENTER)
    assert active(browser).get_attribute("id") == "main"


def outline(browser: WebDriver, element: WebElement) -> str:
    """The focused element's outline style, as the browser draws it."""
    found = browser.execute_script(
        "return getComputedStyle(arguments[0]).outlineStyle;", element
    )
    return str(found)


def test_the_chart_is_drawn_without_any_policy_violation(
    browser: WebDriver, served: str
) -> None:
    sign_in(browser, served, PASSWORD)
    WebDriverWait(browser, 10).until(
        expected_conditions.presence_of_element_located(
            (By.CSS_SELECTOR, ".chart[data-chart-drawn] canvas")
        )
    )
    chart = browser.find_element(By.CSS_SELECTOR, ".chart")
    ActionChains(browser).move_to_element(chart).perform()
    # Check: its tooltip is drawn on the canvas; an HTML one would set inline
    # styles, which the policy refuses (decision 0031).
    mode = browser.execute_script(
        "const chart = echarts.getInstanceByDom(arguments[0]);"
        "chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});"
        "return chart.getOption().tooltip[0].renderMode;",
        chart,
    )
    assert mode == "richText"
    browser.find_element(By.CSS_SELECTOR, "nav a").click()  # 概览: three charts
    wait_for_path(browser, "/web/overview")
    WebDriverWait(browser, 10).until(
        lambda b: len(b.find_elements(By.CSS_SELECTOR, ".chart[data-chart-drawn]")) == 3
    )
    assert csp_violations(browser) == []

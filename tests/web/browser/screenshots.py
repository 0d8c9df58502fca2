"""Screenshots of every page of the web interface, at desktop and phone widths.

    .venv/bin/python -m tests.web.browser.screenshots [--out docs/screenshots]

Runs the demo into a temporary folder (SQLite), serves its street 招宝山街道 with a
clerk's account, and photographs each page in Debian's headless Chromium, in Chinese,
the whole page long; a page that answers with an error page, or breaks the
Content-Security-Policy, stops the run. The README shows the pictures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from tests.web.browser.conftest import (
    CHROMIUM,
    DRIVER,
    PASSWORD,
    free_port,
    tierledger,
    wait_for,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from selenium.webdriver.chrome.webdriver import WebDriver

STREET = "330211001"
PEOPLE = {"王秀英": "clerk", "李建国": "auditor"}
AUDITOR_ONLY = {"audit", "audit-diff", "audit-timeline"}
"""Pages only an auditor opens (the rest are taken as the clerk sees them)."""
WIDTHS = {"desktop": 1280, "phone": 390}
TALLEST = 5000
"""Pixels: a longer page is cut there (the registry's first page fits)."""
PAGES = [
    ("home", "/"),
    ("overview", "/web/overview"),
    ("registry", "/web/registry?q=舞蹈"),
    ("organization", "{org}"),
    ("fact", "{fact}"),
    ("record", "/web/record"),
    ("record-filing", "/web/record/filing"),
    ("record-subsidy", "/web/record/subsidy"),
    ("import", "/web/import"),
    ("reconcile", "/web/reconcile?as_of=2024-12-31"),
    ("audit", "/web/audit"),
    ("audit-diff", "/web/audit/diff?as_of_from=2024-01-01&as_of_to=2024-12-31"),
    ("audit-timeline", "{timeline}"),
    ("sync", "/web/sync"),
    ("policy", "/web/policy"),
]
"""Each page's file name and address; ``{org}``, ``{fact}`` and ``{timeline}`` are
found on the reconciliation page (its first finding's organization and evidence)."""


class PageBrokenError(RuntimeError):
    """A page answered with an error, or the browser refused part of it."""


@contextmanager
def served_street(folder: Path) -> Iterator[str]:
    """The demo's street served on a free port, with the clerk 王秀英; its address."""
    home = folder / "demo"
    env = {**os.environ, "LANG": "C.UTF-8", "TIERLEDGER_DATABASE_URL": ""}
    tierledger(env, "demo", "--home", str(home))
    for name, role in PEOPLE.items():
        tierledger(env, "--home", str(home), "user", "add", STREET, name,
                   "--role", role, "--password-stdin", stdin=PASSWORD)  # fmt: skip
    port, said = free_port(), folder / "serve.log"
    command = [sys.executable, "-m", "cli", "--home", str(home), "serve", STREET,
               "--port", str(port)]  # fmt: skip
    with said.open("wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/health", server, said)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def chromium() -> WebDriver:
    """Debian's headless Chromium, preferring Chinese, its console kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--hide-scrollbars",
                     "--lang=zh-CN"):  # fmt: skip
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(DRIVER)))


def sign_in(browser: WebDriver, base: str, name: str = "王秀英") -> None:
    """Sign in as one of the street's people (signing out whoever was in)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    browser.delete_all_cookies()
    browser.get(base + "/web/login")
    browser.find_element(By.ID, "name").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "nav"))
    )


def found_links(browser: WebDriver, base: str) -> dict[str, str]:
    """The first finding's organization, evidence and timeline addresses."""
    from selenium.webdriver.common.by import By

    browser.get(base + "/web/reconcile?as_of=2024-12-31")
    org = browser.find_element(By.CSS_SELECTOR, "a[href^='/web/registry/']")
    fact = browser.find_element(By.CSS_SELECTOR, "a.evidence")
    org_path = org.get_attribute("href") or ""
    org_id = org_path.split("/web/registry/")[1].split("?")[0]
    return {
        "org": org_path.removeprefix(base),
        "fact": (fact.get_attribute("href") or "").removeprefix(base),
        "timeline": f"/web/audit/timeline/{org_id}",
    }


def photograph(
    browser: WebDriver, base: str, path: str, file: Path, width: int
) -> None:
    """The page at ``path``, the whole page long at ``width``, into ``file``."""
    from selenium.webdriver.common.by import By

    browser.set_window_size(width, 900)
    browser.get(base + path)
    if browser.find_elements(By.CSS_SELECTOR, ".error-page"):
        raise PageBrokenError(
            f"{path} answered: {browser.find_element(By.TAG_NAME, 'h1').text}"
        )
    refused = [
        entry["message"]
        for entry in browser.get_log("browser")  # type: ignore[no-untyped-call]
        if "Content Security Policy" in entry["message"]
    ]
    if refused:
        raise PageBrokenError(f"{path}: {refused[0]}")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(width, min(int(height), TALLEST))
    browser.save_screenshot(str(file))


def _in_turn(pages: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The clerk's pages first, then the auditor's."""
    return [p for p in pages if p[0] not in AUDITOR_ONLY] + [
        p for p in pages if p[0] in AUDITOR_ONLY
    ]


def take(out: Path, folder: Path, only: set[str] | None = None) -> list[Path]:
    """Every page (or those named in ``only``) at every width into ``out``; the
    files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with served_street(folder) as base:
        browser = chromium()
        try:
            sign_in(browser, base)
            links = found_links(browser, base)
            auditor = False
            for name, path in _in_turn(PAGES):
                if only and name not in only:
                    continue
                if name in AUDITOR_ONLY and not auditor:
                    sign_in(browser, base, "李建国")
                    auditor = True
                for kind, width in WIDTHS.items():
                    file = out / f"{name}-{kind}.png"
                    photograph(browser, base, path.format(**links), file, width)
                    written.append(file)
        finally:
            browser.quit()
    return written


def main() -> None:
    """Regenerate the screenshots (into docs/screenshots by default)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--only", help="page names, comma-separated (default: all)")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    with tempfile.TemporaryDirectory() as folder:
        for file in take(args.out, Path(folder), only):
            print(file)


if __name__ == "__main__":
    main()

"""A real ``tierledger serve`` process and a headless Chromium driving it.

The browser and its driver are Debian's ``chromium`` and ``chromium-driver`` (one
version, so they cannot drift); ``.ci/run`` installs them when missing. Without them
the tests skip with a reason — and fail under ``CI=true``, where they must run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from selenium.webdriver.chrome.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
NODE = "330211001001"
PASSWORD = "correct horse battery"
FILINGS = [
    {"filing_number": "镇民备2024001号", "name": "城东社区“银龄”志愿服务队",
     "category": "公益慈善", "effective_on": "2024-03-01"},
    {"filing_number": "镇民备2024002号", "name": "城东社区“夕阳红”舞蹈队",
     "category": "文体活动", "effective_on": "2024-04-10"},
]  # fmt: skip


def require_browser() -> None:
    """Skip with a clear reason on a laptop; fail under CI=true (it must run)."""
    missing = [str(p) for p in (CHROMIUM, DRIVER) if not p.exists()]
    if not missing:
        return
    reason = (
        f"browser tests need Debian's chromium and chromium-driver: no {missing[0]}"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def tierledger(env: dict[str, str], *args: str, stdin: str = "") -> None:
    subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=env, input=stdin, text=True, check=True, capture_output=True,
        timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser") / "home"


@pytest.fixture(scope="module")
def served(home: Path) -> Iterator[str]:
    """A community station served on a free loopback port, with a clerk's account
    and two filings; its address. The process ends with the module."""
    require_browser()
    env = {**os.environ, "TIERLEDGER_HOME": str(home), "LANG": "C.UTF-8"}
    env.pop("TIERLEDGER_DATABASE_URL", None)
    tierledger(env, "init", NODE)
    tierledger(env, "user", "add", NODE, "王秀英", "--role", "clerk",
               "--password-stdin", stdin=PASSWORD)  # fmt: skip
    for filing in FILINGS:
        data = json.dumps(filing, ensure_ascii=False)
        tierledger(env, "record", NODE, "OrganizationFiled", "--data", data)
    port, said = free_port(), home.parent / "serve.log"
    with said.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", NODE, "--port", str(port)],
            env=env, stdout=log, stderr=log,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/health", server, said)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_for(url: str, server: subprocess.Popen[bytes], said: Path) -> None:
    """Until the server answers (at most 30 s), or fail with what it said."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = said.read_text("utf-8", "replace")
            pytest.fail(f"tierledger serve exited {server.returncode}: {output}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"tierledger serve did not answer at {url} within 30 s")


@pytest.fixture
def browser(served: str) -> Iterator[WebDriver]:
    """A fresh headless Chromium preferring Chinese, its console log kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # never fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--lang=zh-CN"):  # fmt: skip
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()

"""`tierledger demo --serve`: the demo network stays up, each node's web interface
answers, and the printed accounts sign in."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import httpx

from tests.web.conftest import csrf_of

if TYPE_CHECKING:
    from pathlib import Path

SIGN_IN = re.compile(r"as (\S+) \(clerk\) or (\S+) \(auditor\), password (\S+)")
ADDRESS = re.compile(r"│ (\d{6,12}) +│ (http://127\.0\.0\.1:\d+/)")


def _start(home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "LANG": "C.UTF-8", "TIERLEDGER_DATABASE_URL": ""}
    env.pop("LANGUAGE", None)
    env["COLUMNS"] = "200"
    command = [sys.executable, "-m", "cli", "demo", "--serve", "--home", str(home)]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )


def _until_serving(demo: subprocess.Popen[str]) -> str:
    """What the demo printed up to its serving line."""
    assert demo.stdout is not None
    printed, deadline = [], time.monotonic() + 300
    for line in demo.stdout:
        printed.append(line)
        if "Ctrl-C" in line or time.monotonic() > deadline:
            break
    return "".join(printed)


def test_demo_serves_every_node_until_stopped(tmp_path: Path) -> None:
    demo = _start(tmp_path / "demo")
    try:
        printed = _until_serving(demo)
        assert demo.poll() is None, printed
        clerk, auditor, password = SIGN_IN.search(printed).groups()  # type: ignore[union-attr]
        addresses = dict(ADDRESS.findall(printed))
        assert set(addresses) == {"330211", "330211001", *(
            f"330211001{n:03d}" for n in (1, 2, 3))}  # fmt: skip
        with httpx.Client(base_url=addresses["330211"]) as browser:
            form = browser.get("/web/login")
            signed = browser.post(
                "/web/login",
                data={"name": auditor, "password": password,
                      "csrf_token": csrf_of(form.text), "next": "/web/reconcile"},
                follow_redirects=True,
            )  # fmt: skip
            assert signed.status_code == 200
            found = browser.get("/web/reconcile", params={"as_of": "2024-12-31"})
            assert 'id="findings-now">4<' in found.text
        with httpx.Client(base_url=addresses["330211001001"]) as browser:
            assert browser.get("/web/login").status_code == 200
        assert clerk != auditor
    finally:
        demo.send_signal(signal.SIGINT)
        rest, _ = demo.communicate(timeout=60)
    assert demo.returncode == 0, rest
    assert "Stopped" in rest

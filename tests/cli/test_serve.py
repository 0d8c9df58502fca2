"""`tierledger serve` as an operator runs it: its address, an access line per request,
its log level, and a clear refusal when it cannot listen."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.sync.test_processes import free_port

if TYPE_CHECKING:
    from pathlib import Path

NODE = "330211001001"
INSTANT = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def tierledger(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=os.environ | {"TIERLEDGER_HOME": str(home), "LANG": "C.UTF-8"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def serve(home: Path, port: int, *options: str) -> str:
    """Serve the node, ask it for /health and a missing page, stop it: its stderr."""
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", NODE, "--port", str(port), *options],
        env=os.environ | {"TIERLEDGER_HOME": str(home), "LANG": "C.UTF-8"},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        httpx.get(f"http://127.0.0.1:{port}/organizations?q=13805741234", timeout=5)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=20)
    return stderr


@pytest.fixture
def home(tmp_path: Path) -> Path:
    assert tierledger(tmp_path, "init", NODE).returncode == 0
    return tmp_path


def test_serve_logs_its_address_and_a_line_per_request(home: Path) -> None:
    port = free_port()
    lines = serve(home, port).splitlines()
    assert re.fullmatch(
        f"{INSTANT} INFO node {NODE} 城东社区 listening on http://127.0.0.1:{port} "
        f"\\(API documentation at http://127.0.0.1:{port}/docs\\)",
        lines[0],
    ), lines
    ms = r"\d+\.\d ms"
    assert re.fullmatch(f"{INSTANT} INFO GET /health 200 {ms}", lines[1])
    assert re.fullmatch(f"{INSTANT} INFO GET /organizations 401 {ms}", lines[2])
    assert "13805741234" not in "\n".join(lines)


def test_log_level_warning_keeps_a_quiet_server_silent(home: Path) -> None:
    assert serve(home, free_port(), "--log-level", "warning") == ""


def test_a_log_level_it_does_not_know_is_refused(home: Path) -> None:
    done = tierledger(home, "serve", NODE, "--log-level", "loud")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error[invalid-option]: --log-level must be one of debug, info, warning, "
        "error, not 'loud'"
    ]


def test_a_taken_port_is_one_line_and_exit_3(home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = tierledger(home, "serve", NODE, "--port", str(port))
    assert done.returncode == 3
    assert done.stderr.splitlines() == [
        f"error[unavailable]: cannot listen on 127.0.0.1 port {port}: "
        "Address already in use"
    ]

"""The vendored scripts are the pinned releases the manifest names, byte for byte."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

import web

VENDOR = Path(web.__file__).parent / "static" / "vendor"
MANIFEST = json.loads((VENDOR / "MANIFEST.json").read_text("utf-8"))
LISTED = {
    name: entry["sha256"]
    for package in MANIFEST.values()
    for name, entry in package["files"].items()
}


@pytest.mark.parametrize("name", sorted(LISTED))
def test_each_vendored_file_has_the_sha256_of_its_release(name: str) -> None:
    digest = hashlib.sha256((VENDOR / name).read_bytes()).hexdigest()
    assert digest == LISTED[name]


def test_every_file_in_the_folder_is_in_the_manifest() -> None:
    present = {p.name for p in VENDOR.iterdir()} - {"MANIFEST.json"}
    assert present == set(LISTED)


def test_versions_are_pinned_exactly_and_licences_kept() -> None:
    for package in MANIFEST.values():
        assert re.fullmatch(r"\d+\.\d+\.\d+", package["version"])
        assert package["tarball_integrity"].startswith("sha512-")
        assert any("LICENSE" in name for name in package["files"])


def test_the_shipped_scripts_announce_the_pinned_versions() -> None:
    htmx = (VENDOR / "htmx.min.js").read_text("utf-8")
    echarts = (VENDOR / "echarts.min.js").read_text("utf-8")
    assert f'version:"{MANIFEST["htmx.org"]["version"]}"' in htmx
    assert f'"{MANIFEST["echarts"]["version"]}"' in echarts

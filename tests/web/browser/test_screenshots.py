"""The screenshot command: every page of the demo's street opens in Chromium, at
desktop and phone widths, without an error page or a refused script or style."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.web.browser.conftest import require_browser
from tests.web.browser.screenshots import PAGES, WIDTHS, take

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.browser
PNG = b"\x89PNG\r\n\x1a\n"


def test_every_page_is_photographed_at_every_width(tmp_path: Path) -> None:
    require_browser()
    written = take(tmp_path / "shots", tmp_path / "work")
    assert len(written) == len(PAGES) * len(WIDTHS)
    for file in written:
        assert file.read_bytes().startswith(PNG), file

"""导入 at the seed network's street, both stores: upload, see every row's fate,
confirm, and the same file again records nothing; bad files and foreign uploads are
refused beside the file field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from tests.web.conftest import csrf_of, sign_in

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

REGISTER = Path("tests/data/registers/zhaobaoshan-filings-2024.xlsx")
SUBSIDIES = Path("tests/data/registers/zhaobaoshan-subsidies-2024.xlsx")
GBK_CSV = Path("tests/data/registers/zhaobaoshan-filings-2024-gbk.csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(street: TestClient, content: bytes, name: str = "备案台账.xlsx") -> str:
    token = csrf_of(street.get("/web/import").text)
    answer = street.post(
        "/web/import", data={"csrf_token": token}, files={"file": (name, content, XLSX)}
    )
    return answer.text


def test_preview_then_confirm_then_nothing_new(street: TestClient) -> None:
    sign_in(street, "王秀英")
    preview = upload(street, REGISTER.read_bytes())
    assert 'id="count-record">24<' in preview
    assert "备案台账" in preview
    upload_id = re.search(r'name="upload" value="([^"]+)"', preview)
    assert upload_id
    confirm = {"csrf_token": csrf_of(preview), "upload": upload_id.group(1)}
    done = street.post("/web/import/confirm", data=confirm)
    assert done.status_code == 200
    assert 'id="receipt"' in done.text
    assert "已从 备案台账.xlsx 记录 24 条" in done.text
    again = street.post("/web/import/confirm", data=confirm)
    assert again.status_code == 400  # the upload is gone once recorded
    second = upload(street, REGISTER.read_bytes())
    assert 'id="count-held">24<' in second
    assert 'name="upload"' not in second  # nothing to confirm


def test_a_file_that_is_no_register_is_refused_beside_the_field(
    street: TestClient,
) -> None:
    sign_in(street, "王秀英")
    page = upload(street, b"%PDF-1.7 not a spreadsheet", "scan.pdf")
    assert 'id="file-error"' in page
    assert 'name="upload"' not in page


def test_an_auditor_sees_the_page_but_cannot_upload(street: TestClient) -> None:
    sign_in(street, "李建国")
    page = street.get("/web/import")
    assert page.status_code == 200
    assert 'type="file"' not in page.text
    token = csrf_of(page.text)
    files = {"file": ("a.xlsx", REGISTER.read_bytes(), XLSX)}
    refused = street.post("/web/import", data={"csrf_token": token}, files=files)
    assert refused.status_code == 403


def test_an_unknown_upload_cannot_be_confirmed(street: TestClient) -> None:
    sign_in(street, "王秀英")
    token = csrf_of(street.get("/web/import").text)
    for forged in ("../../ledger.sqlite", "x" * 24, ""):
        answer = street.post("/web/import/confirm",
                             data={"csrf_token": token, "upload": forged})  # fmt: skip
        assert answer.status_code == 400
        assert 'id="file-error"' in answer.text


def test_a_register_with_an_uncomputed_formula_gets_a_preview_not_a_crash(
    street: TestClient,
) -> None:
    # Its 合计 row is a formula with no saved result; the upload is kept under a
    # token with no extension, which openpyxl refused to open by name (a 500).
    sign_in(street, "王秀英")
    page = upload(street, SUBSIDIES.read_bytes(), "经费补助.xlsx")
    assert "出现错误" not in page
    assert "经费补助" in page
    assert 'id="count-error">' in page or 'id="file-error"' in page


def test_a_csv_upload_is_named_after_the_file_sent(street: TestClient) -> None:
    sign_in(street, "王秀英")
    page = upload(street, GBK_CSV.read_bytes(), "招宝山备案.csv")
    assert 'id="count-record">24<' in page
    assert "招宝山备案" in page
    token = re.search(r'name="upload" value="([^"]+)"', page)
    assert token
    assert token.group(1) not in page.replace(f'value="{token.group(1)}"', "")

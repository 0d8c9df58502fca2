"""GET /export/{what}: a file to save, named in UTF-8 (RFC 6266), personal data
masked; bad choices are problems naming the field."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING
from urllib.parse import unquote

import openpyxl
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from domain.codes import NodeCode
from infrastructure.tokens import TokenStore
from tests.api.test_sync_api import assert_problem
from tests.service.exporting import street_with_a_year

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store

STREET = "330211001"
END = "2024-12-31"


@pytest.fixture
def api(store: Store) -> Iterator[tuple[TestClient, dict[str, str]]]:
    street_with_a_year(store).close()
    issued = TokenStore(store.node_dir(NodeCode(STREET)) / "tokens.json").create(
        "clerk"
    )
    with TestClient(create_app(NodeCode(STREET), store)) as client:
        yield client, {"Authorization": f"Bearer {issued}"}


def test_a_workbook_to_save_named_in_chinese(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, clerk = api
    answer = client.get(
        "/export/registry", params={"as_of": "2024-12-31"}, headers=clerk
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith(
        'attachment; filename="330211001_registry_2024-12-31.xlsx"'
    )
    named = disposition.split("filename*=UTF-8''")[1]
    assert unquote(named) == "招宝山街道_组织库_2024-12-31.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    filed = book["备案台账"]
    phones = [row[6] for row in filed.iter_rows(min_row=3, values_only=True)]
    assert all("****" in str(p) for p in phones)  # masked over HTTP


def test_csv_with_a_bom(api: tuple[TestClient, dict[str, str]]) -> None:
    client, clerk = api
    answer = client.get("/export/subsidies", params={"format": "csv"}, headers=clerk)
    assert answer.status_code == 200
    assert answer.content.startswith("\ufeff序号".encode())
    assert answer.content.decode("utf-8-sig").splitlines()[-1].startswith("合计,")


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/export/everything", {}, "what"),
        ("/export/registry", {"format": "pdf"}, "format"),
        ("/export/report", {}, "period"),
        ("/export/rollup", {"format": "csv"}, "format"),
        ("/export/registry", {"as_of": "2024-02-30"}, "as_of"),
    ],
)
def test_bad_choices_are_problems(
    api: tuple[TestClient, dict[str, str]],
    path: str,
    params: dict[str, str],
    field: str,
) -> None:
    client, clerk = api
    answer = client.get(path, params=params, headers=clerk)
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert field in answer.text


def test_no_token_no_file(api: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = api
    assert_problem(client.get("/export/registry"), 401, "unauthenticated")

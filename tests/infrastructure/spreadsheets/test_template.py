"""The blank registers: every kind's sheet with the importer's headers, drop-down
lists of the ledger's own values, a 说明 sheet; filled in, it imports cleanly."""

from __future__ import annotations

from typing import TYPE_CHECKING

import openpyxl

from infrastructure.spreadsheets.columns import kinds
from infrastructure.spreadsheets.template import LISTS, write_template
from tests.service.registers import open_street, run

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.stores import Store


def blank(tmp_path: Path) -> Path:
    path = tmp_path / "台账模板.xlsx"
    with path.open("wb") as out:
        write_template(out)
    return path


def test_every_kind_has_its_sheet_headers_and_lists(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(blank(tmp_path))
    assert book.sheetnames[0] == "说明"
    assert "tierledger import" in "".join(str(c.value) for c in book["说明"]["A"])
    assert book["选项"].sheet_state == "hidden"
    for kind in kinds().values():
        sheet = book[kind.title]
        headers = [c.value for c in sheet[1]]
        assert headers == [c.header + ("*" if c.required else "") for c in kind.columns]
        listed = {
            kind.columns[next(iter(v.sqref.ranges)).min_col - 1].field
            for v in sheet.data_validations.dataValidation
        }
        assert listed == {c.field for c in kind.columns} & set(LISTS)
    assert "文体活动" in [c.value for c in book["选项"]["A"]]


def test_a_filled_template_imports(store: Store, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(blank(tmp_path))
    book["备案台账"].append(["城东社区读书会", "招宝山街备2026-001", "文体活动",
                           "城东社区", "赵晓燕", "13812345678", None, 12, None, None,
                           None, None, "2024-03-01"])  # fmt: skip
    book["等级评估结果"].append(["招宝山街备2026-001", "class", "二类", 85, None,
                              "2024-11-20"])  # fmt: skip
    filled = tmp_path / "filled.xlsx"
    book.save(filled)
    street = open_street(store)
    try:
        report = run(street, filled)
        assert report.recorded
        assert not report.refused
        assert street.registry(street.point())[0].grades["class"].grade == "二类"
    finally:
        street.close()

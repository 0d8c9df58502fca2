"""A register's headers are found where clerks put them — below a merged title and a
填报单位 line, on one row or two — and name the kind of register and every column."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from infrastructure.spreadsheets.cells import NoValue
from infrastructure.spreadsheets.columns import header_key, kinds
from infrastructure.spreadsheets.errors import HeadersError
from infrastructure.spreadsheets.layout import (
    Layout,
    RowKind,
    classify,
    column_letter,
    find_layout,
)
from infrastructure.spreadsheets.limits import Limits
from infrastructure.spreadsheets.reading import open_register
from infrastructure.spreadsheets.sniff import sniff
from tests.infrastructure.spreadsheets.sheets import (
    FILINGS_XLSX,
    SUBSIDY_SETTINGS,
    write_csv,
    write_xlsx,
)

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from infrastructure.spreadsheets.reading import Row

SUBSIDY_TOP = [
    "序号",
    "组织名称",
    "备案编号",
    "评估等级",
    "补助金额（元）",
    "",
    "",
    "",
    "备注",
]
SUBSIDY_LOW = ["", "", "", "", "合计", "福彩公益金", "街道", "社区", ""]


def layout_of(path: Path, **presets: object) -> tuple[Layout | None, list[Row]]:
    limits = Limits()
    with open_register(path, sniff(path, limits), limits) as register:
        sheet = register.sheets[0]
        rows = list(sheet.rows())
        return find_layout(sheet.name, rows[:30], sheet.merged, {}, presets), rows


def fields(layout: Layout | None) -> dict[str, str]:
    assert layout is not None
    return {column_letter(s.column): s.field for s in layout.slots}


def test_headers_below_a_title_and_a_reporting_line() -> None:
    layout, rows = layout_of(FILINGS_XLSX)
    assert layout is not None
    assert (layout.kind.key, layout.header_rows) == ("filings", (3,))
    assert fields(layout)["C"] == "filing_number"
    assert fields(layout)["G"] == "responsible_person.phone"
    assert "A" not in fields(layout)  # 序号
    notes = [str(n) for n in layout.notes]
    assert notes[0] == "row 1 skipped: 招宝山街道社区社会组织备案台账"
    assert notes[1].startswith("row 2 skipped: 填报单位：招宝山街道社会组织服务中心")
    assert "column A (序号) holds row numbers: not imported" in notes
    assert classify(rows[27], layout, after_total=False) is RowKind.TOTAL


def test_two_header_rows_under_a_merged_group(tmp_path: Path) -> None:
    rows: list[Sequence[object]] = [
        ["2024年度经费补助发放表"],
        SUBSIDY_TOP,
        SUBSIDY_LOW,
    ]
    rows.append([1, "甲", "备1"])
    path = write_xlsx(tmp_path / "s.xlsx", rows, merged=["A1:I1", "E2:H2", "A2:A3"])
    layout, _ = layout_of(path, **SUBSIDY_SETTINGS)
    assert layout is not None
    assert (layout.kind.key, layout.header_rows) == ("subsidies", (2, 3))
    assert fields(layout) == {
        "B": "org",
        "C": "org",
        "D": "grade",
        "E": "amount",  # 补助金额（元） over 合计
        "F": "shares.lottery",
        "G": "shares.street",
        "H": "shares.community",
        "I": "note",
    }


def test_two_header_rows_in_a_csv_without_merges(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [SUBSIDY_TOP, SUBSIDY_LOW, [1, "甲"]])
    layout, _ = layout_of(path, **SUBSIDY_SETTINGS)
    assert layout is not None
    assert layout.header_rows == (1, 2)
    assert fields(layout)["E"] == "amount"
    assert fields(layout)["G"] == "shares.street"


def test_a_first_data_row_is_never_a_second_header_row(tmp_path: Path) -> None:
    rows = [
        ["组织名称", "备案编号", "组织类别", "备案日期"],
        ["社区", "备1", "文体活动", "2024/3/1"],
    ]
    layout, _ = layout_of(write_csv(tmp_path / "f.csv", rows))
    assert layout is not None
    assert layout.header_rows == (1,)


def test_a_sheet_without_headers_is_no_register(tmp_path: Path) -> None:
    rows = [["填表说明"], ["1. 金额以元为单位"], ["2. 日期写成 2024-03-01"]]
    assert layout_of(write_xlsx(tmp_path / "n.xlsx", rows))[0] is None


def test_missing_required_columns_are_named_with_the_way_to_give_them(
    tmp_path: Path,
) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx", [SUBSIDY_TOP[:5], [1, "甲", "备1", "一类", 1]]
    )
    with pytest.raises(HeadersError, match=r"补助项目、年度、决定日期.*--set program="):
        layout_of(path)


def test_headers_two_kinds_could_have_ask_for_kind() -> None:
    headers: list[Row] = [["组织名称", "评估等级", "备注", "日期"]]
    found = find_layout("评估", headers, [], {}, {"program": "x", "period": "2024"})
    assert found is not None  # subsidies lack an amount: grades it is
    assert found.kind.key == "grades"
    presets = {"program": "x", "period": "2024", "amount": 100}
    with pytest.raises(HeadersError, match="--kind grades or --kind subsidies"):
        find_layout("x", [["组织名称", "评估等级", "日期"]], [], {}, presets)
    chosen = find_layout(
        "x", [["组织名称", "评估等级", "日期"]], [], {}, presets, "grades"
    )
    assert chosen is not None
    assert chosen.kind.key == "grades"


def test_map_names_a_column_the_table_does_not_know() -> None:
    rows: list[Row] = [["单位全称", "备案编号", "组织类别", "备案日期"]]
    with pytest.raises(HeadersError, match="no column 组织名称"):
        find_layout("x", rows, [], {}, {})
    mapped = find_layout("x", rows, [], {header_key("单位全称"): "name"}, {})
    assert mapped is not None
    assert mapped.slots[0].field == "name"


def test_two_columns_giving_one_field_are_refused() -> None:
    rows: list[Row] = [["组织名称", "名称", "备案编号", "组织类别", "备案日期"]]
    with pytest.raises(HeadersError, match="columns A and B both give 组织名称"):
        find_layout("x", rows, [], {}, {})


@pytest.mark.parametrize(
    ("written", "key"),
    [("金额（元）", "金额"), ("金额(元)", "金额"), ("组织名称*", "组织名称"),
     ("备 案 编 号", "备案编号"), ("备案编号：", "备案编号"), ("ＵＳＣＣ", "USCC")],
)  # fmt: skip
def test_headers_compare_without_spaces_units_and_stars(written: str, key: str) -> None:
    assert header_key(written) == key


def test_no_header_fills_two_fields_in_one_kind() -> None:
    for kind in kinds().values():
        seen: dict[str, str] = {}
        for column in kind.columns:
            for name in (column.header, *column.synonyms):
                assert seen.setdefault(header_key(name), column.field) == column.field


def test_rows_below_the_headers() -> None:
    layout = find_layout(
        "x", [["组织名称", "备案编号", "组织类别", "备案日期"]], [], {}, {}
    )
    assert layout is not None
    assert classify(["", None, " "], layout, False) is RowKind.EMPTY
    assert (
        classify(["合 计", "", NoValue("=SUM(E3:E20)")], layout, False) is RowKind.TOTAL
    )
    assert classify(["总计：", 3], layout, False) is RowKind.TOTAL
    assert classify(["注：金额单位为元"], layout, False) is RowKind.NOTE
    assert classify(["制表人：王秀英"], layout, False) is RowKind.NOTE
    assert classify(["", "审核：张"], layout, True) is RowKind.NOTE
    assert classify(["甲队"], layout, False) is RowKind.DATA  # a row with one cell


def test_rows_numbered_in_advance_are_no_data() -> None:
    headers: list[Row] = [
        ["序号", "组织名称", "备案编号", "组织类别", "备案日期", "审核"]
    ]
    layout = find_layout("x", headers, [], {}, {})
    assert layout is not None
    assert classify([31.0, "", "", "", "", ""], layout, False) is RowKind.EMPTY
    assert classify([32.0, "", "", "", "", "待补"], layout, False) is RowKind.NOTE
    assert classify([33.0, "甲队"], layout, False) is RowKind.DATA

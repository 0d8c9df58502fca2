"""Registers in, on both stores: every sample register imports, a re-import records
nothing, a dry run classes every row and records nothing, a real import is all or
nothing, and the errors workbook marks what was refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import openpyxl
import pytest

from infrastructure.spreadsheets.errors import HeadersError
from infrastructure.spreadsheets.limits import Limits
from infrastructure.spreadsheets.sniff import sniff
from service import sheet_outcomes
from service.sheet_errors import write_errors
from service.sheet_import import ImportOptions
from tests.infrastructure.spreadsheets.sheets import (
    FILING_HEADERS,
    FILINGS_CSV,
    FILINGS_XLSX,
    SUBSIDIES_XLSX,
    SUBSIDY_SETTINGS,
    filing_row,
    write_csv,
    write_xlsx,
)
from tests.service.registers import (
    by_row,
    dry_run,
    open_street,
    plan,
    run,
    statuses,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from infrastructure.stores import Store
    from service.node import Node


@pytest.fixture
def street(store: Store) -> Iterator[Node]:
    node = open_street(store)
    yield node
    node.close()


def edited_filings(tmp_path: Path) -> Path:
    """The sample register after a clerk's edits: a renamed organization (row 4), an
    impossible date (row 5), a new organization (row 29)."""
    book = openpyxl.load_workbook(FILINGS_XLSX)
    sheet = book.active
    assert sheet is not None
    sheet["B4"] = "胜利路社区银龄志愿服务队（更名）"
    sheet["I5"] = "2024/2/30"
    new = ["城东社区读书会", "招宝山备2024-025", "文体活动", "城东社区", "赵晓燕"]
    sheet.append([25, *new, "13805741025", 9, "2024年6月1日", "城东社区图书室"])
    book.save(tmp_path / "edited.xlsx")
    return tmp_path / "edited.xlsx"


def test_every_sample_register_imports(street: Node) -> None:
    filings = run(street, FILINGS_XLSX)
    assert (filings.recorded, len(filings.outcomes)) == (True, 24)
    assert set(statuses(filings).values()) == {"record"}
    # Check: the GBK CSV Excel saved from it holds the very same facts.
    again = run(street, FILINGS_CSV)
    assert set(statuses(again).values()) == {"held"}
    subsidies = run(street, SUBSIDIES_XLSX, presets=SUBSIDY_SETTINGS)
    assert set(statuses(subsidies).values()) == {"record"}
    assert len(subsidies.outcomes) == 18
    # Check: the facts are what the registers say.
    filed = street.ledger.fact(2)
    assert filed is not None
    assert filed.payload() | {"org_id": ""} == {
        "org_id": "",
        "filing_number": "招宝山备2024-001",
        "name": "胜利路社区银龄志愿服务队",
        "category": "生活服务",
        "community": "330211001002",  # 胜利路社区, by name
        "responsible_person": {"name": "李建国", "phone": "13805741001"},
        "member_count": 11,
        "venue": "胜利路社区文化家园2楼",
        "funds_fen": None,
        "funds_source": None,
        "guiding_unit": None,
        "effective_on": "2024-02-02",  # an Excel date cell
    }
    decided = street.ledger.fact(26)
    assert decided is not None
    assert decided.payload() == {
        "org_id": filed.payload()["org_id"],  # named by 组织名称 and 备案编号
        "program": "社区社会组织日常活动补助",
        "period": "2024",
        "amount_fen": 250_000,
        "shares": {"street": 150_000, "community": 100_000},  # 福彩公益金 0: none
        "grade_scheme": "class",  # 二类 is a class grade
        "grade": "二类",
        "note": None,
        "effective_on": "2024-12-05",
    }


def test_a_template_numbered_in_advance_imports_its_filled_rows(
    street: Node, tmp_path: Path
) -> None:
    rows: list[list[object]] = [FILING_HEADERS, filing_row(1)]
    rows += [[n] for n in range(2, 40)]  # 序号 filled down, nothing else
    report = run(street, write_xlsx(tmp_path / "template.xlsx", rows))
    assert statuses(report) == {2: "record"}


def test_what_each_sheet_skipped_is_said(street: Node) -> None:
    found = plan(street, SUBSIDIES_XLSX, presets=SUBSIDY_SETTINGS)
    notes = [str(n) for n in found.sheets[0].notes]
    assert notes == [
        "row 1 skipped: 2024年度招宝山街道社区社会组织日常活动经费补助发放表",
        "column A (序号) holds row numbers: not imported",
        "row 21 skipped: 合计 =SUM(E3:E20)",  # its formula has no result: no matter
    ]


def test_a_re_import_records_nothing_and_says_so(street: Node) -> None:
    run(street, FILINGS_XLSX)
    head = street.ledger.head()
    again = run(street, FILINGS_XLSX)
    assert not again.recorded
    assert set(statuses(again).values()) == {"held"}
    assert street.ledger.head() == head


def test_a_dry_run_classes_every_row_and_records_nothing(
    street: Node, tmp_path: Path
) -> None:
    run(street, FILINGS_XLSX)
    head = street.ledger.head()
    report = dry_run(street, edited_filings(tmp_path))
    rows = by_row(report)
    assert rows[4].status.value == "conflict"
    assert rows[4].columns == ("组织名称",)
    assert "other content in 组织名称" in str(rows[4].problems[0].message)
    assert rows[5].status.value == "error"
    assert [(p.column, str(p.message)) for p in rows[5].problems] == [
        (8, "备案日期 '2024/2/30' is not a real date")  # column I
    ]
    assert rows[29].status.value == "record"
    assert {rows[n].status.value for n in range(6, 28)} == {"held"}
    assert street.ledger.head() == head


def test_an_import_with_a_bad_row_records_nothing_unless_partial(
    street: Node, tmp_path: Path
) -> None:
    run(street, FILINGS_XLSX)
    head = street.ledger.head()
    edited = edited_filings(tmp_path)
    refused = run(street, edited)
    assert (refused.recorded, refused.refused) == (False, True)
    assert street.ledger.head() == head
    assert statuses(refused)[29] == "record"  # it would be, were the file good
    partial = run(street, edited, partial=True)
    assert partial.recorded
    assert statuses(partial)[29] == "record"
    assert (statuses(partial)[4], statuses(partial)[5]) == ("conflict", "error")
    assert street.ledger.head().seq == head.seq + 1


def test_two_rows_of_one_identity_conflict_within_the_file(
    street: Node, tmp_path: Path
) -> None:
    rows = [FILING_HEADERS, filing_row(1), filing_row(1, name="另一个名字")]
    report = dry_run(street, write_xlsx(tmp_path / "twice.xlsx", rows))
    assert statuses(report) == {2: "record", 3: "conflict"}
    message = str(by_row(report)[3].problems[0].message)
    assert message == "same identity as row 2 of this file, other content in 组织名称"


def test_a_formula_without_its_result_in_a_data_cell_is_an_error(
    street: Node, tmp_path: Path
) -> None:
    rows = [FILING_HEADERS, filing_row(1), filing_row(2, 备案日期="=DATE(2024,3,1)")]
    report = run(street, write_xlsx(tmp_path / "f.xlsx", rows))
    assert not report.recorded
    problem = by_row(report)[3].problems[0]
    assert problem.column == 5
    assert "formula '=DATE(2024,3,1)' without its result" in str(problem.message)


def test_amounts_with_fractions_of_a_fen_are_refused(
    street: Node, tmp_path: Path
) -> None:
    run(street, FILINGS_XLSX)
    rows = [
        ["组织名称", "补助金额", "街道"],
        ["后大街社区书画社", "1500.005", "1500.005"],
    ]
    report = dry_run(
        street, write_csv(tmp_path / "s.csv", rows), presets=SUBSIDY_SETTINGS
    )
    problems = {p.column: str(p.message) for p in by_row(report)[2].problems}
    assert problems == {
        1: "补助金额 '1500.005' has fractions of a fen: amounts are kept to the fen "
        "(two decimals) and never rounded",
        2: "街道 '1500.005' has fractions of a fen: amounts are kept to the fen "
        "(two decimals) and never rounded",
    }


def test_every_fact_needs_its_date(street: Node, tmp_path: Path) -> None:
    rows = [FILING_HEADERS, filing_row(1, 备案日期=""), filing_row(2, 备案日期="")]
    path = write_xlsx(tmp_path / "f.xlsx", rows)
    report = dry_run(street, path)
    assert "备案日期 is empty" in str(by_row(report)[2].problems[0].message)
    # --set gives the date where the cell is empty; a cell's own date wins.
    rows[2][5] = "2024-05-01"
    path = write_xlsx(tmp_path / "g.xlsx", rows)
    run(street, path, presets={"effective_on": "2024-04-01"})
    assert [f.effective_on for f in street.ledger.facts(after=1)] == [
        "2024-04-01",
        "2024-05-01",
    ]


def test_a_gb18030_csv_keeps_names_gbk_cannot_write(
    street: Node, tmp_path: Path
) -> None:
    rows = [FILING_HEADERS, filing_row(1, name="㒲氏家族文化研究会")]
    run(street, write_csv(tmp_path / "gb.csv", rows, encoding="gb18030"))
    filed = street.ledger.fact(2)
    assert filed is not None
    assert filed.payload()["name"] == "㒲氏家族文化研究会"


def test_headers_over_columns_they_do_not_name_are_refused(
    street: Node, tmp_path: Path
) -> None:
    rows = [
        ["组织名称", "备案编号", "组织类别", "备案日期", "负责人", ""],
        ["甲队", "备1", "文体活动", "2024-03-01", "王", "13805741001"],
    ]
    merged = write_xlsx(tmp_path / "m.xlsx", rows, merged=["E1:F1"])
    with pytest.raises(HeadersError, match=r"F holds values .* merged header 负责人"):
        plan(street, merged)
    bare = write_xlsx(tmp_path / "b.xlsx", rows)
    with pytest.raises(HeadersError, match="column F holds values \\(row 2\\)"):
        plan(street, bare)


def test_a_file_without_headers_is_refused(street: Node, tmp_path: Path) -> None:
    rows = [["甲队", "备1", "文体活动", "2024-03-01"]]
    with pytest.raises(HeadersError, match="no sheet of the file has a header row"):
        plan(street, write_xlsx(tmp_path / "n.xlsx", rows))


def test_the_errors_workbook_marks_refused_rows(street: Node, tmp_path: Path) -> None:
    run(street, FILINGS_XLSX)
    edited = edited_filings(tmp_path)
    found = plan(street, edited)
    report = sheet_outcomes.preview(street, found.items, found)
    out = tmp_path / "errors.xlsx"
    marked = write_errors(
        edited,
        sniff(edited, Limits()),
        ImportOptions(),
        found,
        report,
        out,
        str,
        "错误说明",
    )
    assert marked == 2
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert [c.value for c in sheet[3]][-1] == "错误说明"
    assert sheet["B4"].fill.fgColor.rgb == "00FFC7CE"
    assert (
        sheet["K4"].value == "B: recorded before (seq 2) with other content in 组织名称"
    )
    assert sheet["I5"].fill.fgColor.rgb == "00FFC7CE"
    assert sheet["K5"].value == "I: 备案日期 '2024/2/30' is not a real date"
    assert sheet["C5"].fill.fill_type is None
    assert sheet["K6"].value is None
    assert sheet["B29"].value == "城东社区读书会"  # every row as read
    assert str(next(iter(sheet.merged_cells.ranges))) == "A1:J1"
    assert out.stat().st_mode & 0o077 == 0  # registers hold personal data


def test_map_reads_a_header_the_table_does_not_know(
    street: Node, tmp_path: Path
) -> None:
    rows = [
        ["单位全称", "备案编号", "组织类别", "备案时间", "社区（村）"],
        ["城东社区读书会", "城东备1", "文体活动", "2024.3.1", "城东"],
    ]
    path = write_csv(tmp_path / "m.csv", rows, encoding="utf-8-sig")
    with pytest.raises(HeadersError, match="no column 组织名称"):
        plan(street, path)
    report = run(street, path, mapping={"单位全称": "name"})
    assert statuses(report) == {2: "record"}
    filed = street.ledger.fact(2)
    assert filed is not None
    assert (filed.payload()["name"], filed.payload()["community"]) == (
        "城东社区读书会",
        "330211001001",
    )
    assert filed.effective_on == "2024-03-01"

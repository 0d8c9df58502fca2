"""Exports for Excel, on both stores: Chinese headers, a frozen header row, fitted
widths, yuan with two decimals and totals; CSV with a BOM; personal data masked
unless asked for; and a round trip into a fresh node gives the same views."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest

from domain.errors import InvalidFieldError
from service.exports import build_export
from tests.service.exporting import street_with_a_year, workbook

if TYPE_CHECKING:
    from collections.abc import Iterator

    from infrastructure.stores import Store
    from service.node import Node

END = "2024-12-31"


@pytest.fixture
def street(store: Store) -> Iterator[Node]:
    node = street_with_a_year(store)
    yield node
    node.close()


def test_registry_workbook_holds_the_three_registers(street: Node) -> None:
    book = workbook(build_export(street, "registry", "xlsx", street.point(END)))
    assert book.sheetnames == ["备案台账", "登记台账", "转登记台账"]
    filed = book["备案台账"]
    assert filed.freeze_panes == "A3"
    assert "招宝山街道 组织库（截至 2024-12-31）" in str(filed["A1"].value)
    headers = [c.value for c in filed[2]]
    assert headers[:5] == ["序号", "组织名称", "备案编号", "组织类别", "所属社区"]
    rows = list(filed.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 12
    first = dict(zip(headers, rows[0], strict=True))
    assert first["所属社区"] == "城东社区"  # the community's name, not its code
    assert first["联系电话"] == "138****0000"  # masked: personal data
    assert first["状态"] in {"已备案", "已登记"}
    assert (filed.column_dimensions["B"].width or 0) > len("组织名称")
    upgraded = list(book["转登记台账"].iter_rows(min_row=3, values_only=True))
    assert [row[2] for row in upgraded] == ["招宝山街备2024-001"]


def test_personal_data_only_when_asked(street: Node) -> None:
    built = build_export(street, "registry", "xlsx", street.point(END), personal=True)
    filed = workbook(built)["备案台账"]
    headers = [c.value for c in filed[2]]
    phones = [
        row[headers.index("联系电话")]
        for row in filed.iter_rows(min_row=3, values_only=True)
    ]
    assert "13812340000" in phones


def test_a_corrected_responsible_person_is_the_one_exported(street: Node) -> None:
    facts = street.ledger.facts()
    filing = next(f for f in facts if f.fact_type == "OrganizationFiled")
    person = {"name": "欧阳秀英", "phone": "13905741234"}
    street.record("FactCorrected", {"corrects_seq": filing.seq, "reason": "负责人变更",
                  "replacement": {"responsible_person": person},
                  "effective_on": "2024-06-01"}, actor="cli:test")  # fmt: skip
    built = build_export(street, "registry", "xlsx", street.point(END), personal=True)
    filed = workbook(built)["备案台账"]
    headers = [c.value for c in filed[2]]
    rows = [dict(zip(headers, row, strict=True))
            for row in filed.iter_rows(min_row=3, values_only=True)]  # fmt: skip
    (row,) = [r for r in rows if r["备案编号"] == filing.payload()["filing_number"]]
    assert (row["负责人"], row["联系电话"]) == ("欧阳秀英", "13905741234")
    # Check a point before the correction was known still shows the filed person.
    before = street.point(END, known_at=filing.recorded_at)
    earlier = workbook(build_export(street, "registry", "xlsx", before, personal=True))
    listed = earlier["备案台账"].iter_rows(min_row=3, values_only=True)
    assert "王秀0" in {r[headers.index("负责人")] for r in listed}


def test_subsidies_in_yuan_with_two_decimals_and_totals(street: Node) -> None:
    sheet = workbook(
        build_export(street, "subsidies", "xlsx", street.point(END))
    ).active
    assert sheet is not None
    headers = [c.value for c in sheet[2]]
    amount = headers.index("补助金额")
    cells = [row[amount] for row in sheet.iter_rows(min_row=3)]
    assert all(c.number_format == "#,##0.00" for c in cells if c.value is not None)
    *decisions, total = cells
    assert total.value == sum(Decimal(str(c.value)) for c in decisions)
    assert sheet.cell(row=total.row, column=1).value == "合计"
    assert len(decisions) == 6  # the revoked one is not live


def test_csv_has_a_bom_and_chinese_round_trips(street: Node) -> None:
    built = build_export(street, "registry", "csv", street.point(END))
    out = io.BytesIO()
    built.write(out)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("序号,组织名称,状态")
    assert "招宝山“银龄”服务队1," in text
    assert built.filename.endswith(".csv")
    assert "招宝山街道" in built.filename


def test_rollup_and_report_are_workbooks_not_csv(street: Node) -> None:
    point = street.point(END)
    with pytest.raises(InvalidFieldError, match="one table"):
        build_export(street, "rollup", "csv", point)
    with pytest.raises(InvalidFieldError) as refused:
        build_export(street, "report", "xlsx", point)
    assert refused.value.field == "period"
    book = workbook(build_export(street, "report", "xlsx", point, period="2024"))
    assert book.sheetnames == ["类型与状态", "类别", "等级分布", "补助 2024"]
    money = book["补助 2024"]
    assert "招宝山街道" in str(money["A1"].value)
    assert END in str(money["A1"].value)
    programs = [row[0] for row in money.iter_rows(min_row=3, values_only=True)]
    assert programs == ["基层社会组织活动经费补助", "合计"]


def test_reconciliation_names_the_finding(street: Node) -> None:
    sheet = workbook(build_export(street, "reconciliation", "xlsx", street.point(END)))
    rows = list(sheet["对账结果"].iter_rows(min_row=3, values_only=True))
    assert rows[0][1:3] == ("R1", "补助金额超出等级档次")


def test_unknown_choices_are_refused(street: Node) -> None:
    for what, fmt, field in (
        ("everything", "xlsx", "what"),
        ("registry", "pdf", "format"),
    ):
        with pytest.raises(InvalidFieldError) as refused:
            build_export(street, what, fmt, street.point(END))
        assert refused.value.field == field

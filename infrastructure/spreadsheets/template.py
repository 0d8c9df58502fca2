"""Blank registers to fill in: one sheet per kind of fact with the importer's own
headers (a star on the required ones), drop-down lists where the ledger knows the
values, and a 说明 sheet in Chinese saying how each is filled."""

from __future__ import annotations

from typing import IO

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from domain.categories import shipped_categories
from domain.grades import shipped_schemes
from domain.values import LegalForm
from infrastructure.spreadsheets.columns import Kind, kinds
from infrastructure.spreadsheets.writing import display_width

CHOICES_SHEET = "选项"
ROWS = 500
"""Rows each drop-down list covers."""
GUIDE = (
    "填写说明",
    "",
    "1. 每张工作表是一类台账：备案台账、登记台账、转登记台账、等级评估结果、经费补助。"
    "只填需要的表，其余留空即可。",
    "2. 表头带 * 的列必须填写；表头不要改名（也可用常见别名，如“名称”“备案号”）。",
    "3. 日期写成 2024-03-01、2024/3/1 或 2024年3月1日，或直接用 Excel 日期单元格。",
    "4. 金额以元为单位，最多两位小数，例如 3500 或 3,500.00；福彩公益金、区级、街道、"
    "社区、社会资金五列之和应等于补助金额（1+3+X）。",
    "5. 等级评估和经费补助中的“组织”可填备案编号、统一社会信用代码或组织名称"
    "（须在本节点唯一）。",
    "6. 所属社区填社区名称（如“城东社区”）或 12 位区划代码。",
    "7. 组织类别、组织类型、评估体系、评估等级请从下拉列表中选择。",
    "8. 导入：tierledger import 节点代码 本文件.xlsx --dry-run 先预览，确认无误后去掉 "
    "--dry-run 正式导入；或在网页“导入”栏目上传。同一文件重复导入不会重复记录。",
    "9. 台账含个人信息（联系电话、身份证号），请妥善保管本文件。",
)
LISTS = {
    "category": [c.name for c in shipped_categories()],
    "legal_form": [form.label for form in LegalForm],
    "scheme": list(shipped_schemes()),
    "grade_scheme": list(shipped_schemes()),
    "grade": [g for s in shipped_schemes().values() for g in (*s.grades, s.not_passed)],
}
"""Field → the values its drop-down offers (legal forms by their Chinese names)."""


def write_template(out: IO[bytes]) -> None:
    """The blank workbook, into ``out``."""
    book = openpyxl.Workbook()
    guide = book.active
    assert guide is not None
    guide.title = "说明"
    for line in GUIDE:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110
    for row in guide.iter_rows(min_row=3):
        row[0].alignment = Alignment(wrap_text=True)
    ranges = _choices(book)
    for kind in kinds().values():
        _sheet(book, kind, ranges)
    book.save(out)


def _choices(book: openpyxl.Workbook) -> dict[str, str]:
    """A hidden sheet of every list; field → the range its drop-down reads."""
    sheet = book.create_sheet(CHOICES_SHEET)
    sheet.sheet_state = "hidden"
    ranges = {}
    for column, (field, values) in enumerate(LISTS.items(), start=1):
        letter = get_column_letter(column)
        for row, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value)
        name = quote_sheetname(CHOICES_SHEET)
        ranges[field] = f"{name}!${letter}$1:${letter}${len(values)}"
    return ranges


def _sheet(book: openpyxl.Workbook, kind: Kind, ranges: dict[str, str]) -> None:
    sheet = book.create_sheet(kind.title)
    for index, column in enumerate(kind.columns, start=1):
        header = column.header + ("*" if column.required else "")
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(display_width(header) + 4, 12)
        if column.field in ranges:
            check = DataValidation(
                type="list", formula1=ranges[column.field], allow_blank=True,
                showErrorMessage=True, errorTitle="请从列表中选择",
                error=f"{column.header}：请从下拉列表中选择。",
            )  # fmt: skip
            check.add(f"{letter}2:{letter}{ROWS + 1}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A2"

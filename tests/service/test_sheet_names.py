"""Organizations named the way clerks name them — filing number, USCC or name, unique
among the node's holdings — communities by their Chinese names, grades by how they
are written; an ambiguous or unknown name is an error listing the candidates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from domain.codes import NodeCode
from domain.errors import InvalidGradeError, UnknownOrganizationError
from domain.identity import org_id_for_filing
from service.sheet_names import (
    AmbiguousNameError,
    CommunityNames,
    OrgNames,
    UnknownCommunityError,
    grade_scheme,
)
from tests.factories import uscc
from tests.infrastructure.spreadsheets.sheets import (
    FILING_HEADERS,
    SUBSIDY_SETTINGS,
    filing_row,
    write_xlsx,
)
from tests.service.registers import by_row, dry_run, open_street, run, statuses
from tests.sync.network import Network

if TYPE_CHECKING:
    from pathlib import Path

    from infrastructure.stores import Store

STREET = NodeCode("330211001")
USCC = uscc(3, "1")


def names() -> OrgNames:
    found = OrgNames(STREET)
    found.add("id-1", "城东社区舞蹈队", "城东备1", None, "330211001001")
    found.add("id-2", "城东社区舞蹈队", "胜利备1", None, "330211001002")
    found.add("id-3", "镇海区书画协会", None, USCC, "330211001")
    found.add("id-4", "后大街社区书画社", "备１", None, "330211001")
    return found


def test_an_organization_by_filing_number_uscc_or_unique_name() -> None:
    found = names()
    assert found.resolve("城东备1", "组织") == "id-1"
    assert found.resolve(USCC.lower(), "组织") == "id-3"
    assert found.resolve("镇海区书画协会", "组织") == "id-3"
    assert found.resolve(" 后大街社区 书画社 ", "组织") == "id-4"  # spaces
    assert found.resolve("备1", "组织") == "id-4"  # a full-width look-alike
    org_id = "815c6fcc-4c8d-5aeb-91b1-8eec862f4926"
    assert found.resolve(org_id, "组织") == org_id
    assert found.resolve("330211001001:城东备1", "组织") == "330211001001:城东备1"


def test_a_name_two_organizations_bear_lists_both() -> None:
    with pytest.raises(AmbiguousNameError) as raised:
        names().resolve("城东社区舞蹈队", "组织名称")
    assert str(raised.value) == (
        "组织名称 城东社区舞蹈队 names 2 organizations at node 330211001: "
        "城东社区舞蹈队（城东备1，330211001001）；"
        "城东社区舞蹈队（胜利备1，330211001002）; "
        "name it by its filing number or USCC"
    )


def test_an_unknown_name_lists_the_closest() -> None:
    with pytest.raises(UnknownOrganizationError, match="did you mean 镇海区书画协会"):
        names().resolve("镇海书画协会", "组织名称")
    with pytest.raises(UnknownOrganizationError) as raised:
        names().resolve("龙赛医院", "组织名称")
    assert "did you mean" not in str(raised.value)


def test_communities_by_their_names_within_the_subtree() -> None:
    street = CommunityNames(STREET)
    assert street.resolve("胜利路社区", "所属社区") == "330211001002"
    assert street.resolve("胜利路", "所属社区") == "330211001002"
    assert street.resolve("胜利路社区居委会", "所属社区") == "330211001002"
    assert street.resolve("330211001003", "所属社区") == "330211001003"
    town = CommunityNames(NodeCode("330211003"))
    assert town.resolve("朝阳村", "所属社区") == "330211003218"  # 朝阳村委会
    with pytest.raises(UnknownCommunityError, match="城东社区 330211001001"):
        street.resolve("中街社区", "所属社区")  # a community of another street


@pytest.mark.parametrize(
    ("written", "grade", "scheme"),
    [("4A", "4A", "national"), ("4a级", "4A", "national"), ("AAAA", "4A", "national"),
     ("一类", "一类", "class"), ("不合格", "不合格", "class"),
     ("三星级", "三星", "star"),
     ("无等级", "无等级", "national")],
)  # fmt: skip
def test_a_grade_implies_its_scheme(written: str, grade: str, scheme: str) -> None:
    assert grade_scheme(written, None, "评估等级") == (grade, scheme)


def test_a_grade_of_no_scheme_is_refused_listing_grades() -> None:
    with pytest.raises(InvalidGradeError, match="5A、4A"):
        grade_scheme("优秀", None, "评估等级")
    assert grade_scheme("一类", "基层社会组织分类评定（一类/二类/三类）", "x") == (
        "一类",
        "class",
    )


def test_grades_name_organizations_the_street_holds_from_its_communities(
    store: Store, tmp_path: Path
) -> None:
    network = Network(store, ["330211001", "330211001001", "330211001002"])
    try:
        for community, number in (
            ("330211001001", "城东备1"),
            ("330211001002", "胜利备1"),
        ):
            network.opened[community].record(
                "OrganizationFiled",
                {"filing_number": number, "name": "社区舞蹈队", "category": "文体活动",
                 "effective_on": "2024-03-01"},
                actor="cli:test",
            )  # fmt: skip
            network.opened[community].record(
                "OrganizationFiled",
                {"filing_number": f"{number}0", "name": f"{number}读书会",
                 "category": "文体活动", "effective_on": "2024-03-01"},
                actor="cli:test",
            )  # fmt: skip
            network.pull("330211001", community)
        rows = [
            ["组织名称", "评估等级", "评估日期"],
            ["城东备1读书会", "一类", "2024-11-20"],
            ["社区舞蹈队", "二类", "2024-11-20"],
        ]
        street = network.opened["330211001"]
        report = run(street, write_xlsx(tmp_path / "grades.xlsx", rows))
        assert statuses(report) == {2: "record", 3: "error"}
        assert not report.recorded  # all or nothing
        assert "names 2 organizations" in str(by_row(report)[3].problems[0].message)
        rows[2][0] = "胜利备1"  # by its filing number, unique among the holdings
        report = run(street, write_xlsx(tmp_path / "grades2.xlsx", rows))
        assert statuses(report) == {2: "record", 3: "record"}
        graded = [
            f.payload()
            for f in street.ledger.facts(after=1)
            if f.fact_type == "GradeEvaluated"
        ]
        expected = str(org_id_for_filing(NodeCode("330211001001"), "城东备10"))
        assert (graded[0]["org_id"], graded[0]["scheme"]) == (expected, "class")
    finally:
        network.close()


def test_a_workbook_files_organizations_before_its_subsidies_name_them(
    store: Store, tmp_path: Path
) -> None:
    street = open_street(store)
    try:
        subsidies: list[list[object]] = [
            ["组织名称", "评估等级", "补助金额", "街道", "社区"],
            ["城东社区志愿服务队1", "一类", "3,500.00", 2100, 1400],
        ]
        filings = [FILING_HEADERS, filing_row(1)]
        path = write_xlsx(
            tmp_path / "both.xlsx",
            subsidies,
            title="经费补助",
            more={"备案台账": filings},
        )
        report = dry_run(street, path, presets=SUBSIDY_SETTINGS)
        assert [(o.sheet, o.status.value) for o in report.outcomes] == [
            ("备案台账", "record"),
            ("经费补助", "record"),
        ]
        assert street.ledger.head().seq == 1
    finally:
        street.close()

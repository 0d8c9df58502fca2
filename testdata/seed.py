"""The 招宝山街道 seed scenario: 103 filed organizations in three communities, graded
by the street (89 into classes, 14 not passed) and subsidised within the policy's
bands — the figures of the founding report (DOMAIN.md §1, §4)."""

from __future__ import annotations

from importlib import resources
from typing import Any

from domain.policy import read_policy_file
from testdata.generator import _ACTIVITIES

STREET = "330211001"
DISTRICT = "330211"
COMMUNITIES = ("330211001001", "330211001002", "330211001003")
"""城东社区, 胜利路社区, 总浦桥社区."""
PROGRAM = "基层社会组织活动经费补助"
FILED = 103
CLASSES = (("一类", 8, "3200"), ("二类", 26, "2100"), ("三类", 55, "1050"))
"""Class, how many organizations, and the yuan each receives: ¥137 950 in all."""
NOT_PASSED = 14
EVALUATED_ON, DECIDED_ON = "2023-11-20", "2023-12-15"

Item = tuple[str, dict[str, Any]]


def policy() -> dict[str, Any]:
    """The example policy shipped for 招宝山街道, as PolicyAdopted data."""
    text = (
        resources.files("testdata")
        .joinpath("zhaobaoshan-policy.toml")
        .read_text("utf-8")
    )
    return read_policy_file(text)


def home_of(n: int) -> str:
    """The community organization ``n`` (0-based) is filed in."""
    return COMMUNITIES[n % len(COMMUNITIES)]


def org_ref(n: int) -> str:
    """How the street names organization ``n``: its filing node and number."""
    return f"{home_of(n)}:{filing_number(n)}"


def filing_number(n: int) -> str:
    """Organization ``n``'s filing number at its community."""
    return f"招宝山备2022-{n + 1:03d}"


def filings() -> dict[str, list[Item]]:
    """Each community's filings."""
    found: dict[str, list[Item]] = {c: [] for c in COMMUNITIES}
    for n in range(FILED):
        activity, category = _ACTIVITIES[n % len(_ACTIVITIES)]
        community = home_of(n)
        found[community].append(
            (
                "OrganizationFiled",
                {
                    "filing_number": filing_number(n),
                    "name": f"招宝山{activity}{n + 1}",
                    "category": category,
                    "community": community,
                    "member_count": 12 + n % 30,
                    "effective_on": f"2022-{1 + n % 12:02d}-{1 + n % 28:02d}",
                },
            )
        )
    return found


def grades() -> list[tuple[int, str, str | None]]:
    """(organization, class, yuan or None) for all 103: 89 classed, 14 not passed."""
    found: list[tuple[int, str, str | None]] = []
    for grade, count, yuan in CLASSES:
        found.extend((len(found), grade, yuan) for _ in range(count))
    found = [(n, grade, yuan) for n, (_, grade, yuan) in enumerate(found)]
    found.extend((n, "不合格", None) for n in range(len(found), FILED))
    return found


def street_year() -> list[Item]:
    """The street's year: evaluations of all 103, then subsidies to the 89 passed."""
    evaluations: list[Item] = [
        ("GradeEvaluated", {"org": org_ref(n), "scheme": "class", "grade": grade,
                            "effective_on": EVALUATED_ON})
        for n, grade, _ in grades()
    ]  # fmt: skip
    subsidies = [
        subsidy(org_ref(n), yuan, "2023", DECIDED_ON, grade)
        for n, grade, yuan in grades()
        if yuan is not None
    ]
    return evaluations + subsidies


def subsidy(org: str, yuan: str, period: str, on: str, grade: str | None) -> Item:
    """A decision of the program, split 60/40 street/community as the policy says."""
    fen = int(yuan) * 100
    data: dict[str, Any] = {
        "org": org,
        "program": PROGRAM,
        "period": period,
        "amount_fen": fen,
        "shares_fen": {"street": fen * 60 // 100, "community": fen * 40 // 100},
        "effective_on": on,
    }
    if grade is not None:
        data |= {"grade_scheme": "class", "grade": grade}
    return "SubsidyDecided", data


def first(grade: str, community: str | None = None, skip: int = 0) -> int:
    """The ``skip``-th organization of a class (in a community, if given)."""
    found = [
        n
        for n, g, _ in grades()
        if g == grade and (community is None or home_of(n) == community)
    ]
    return found[skip]

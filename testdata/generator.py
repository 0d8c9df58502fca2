"""Realistic facts for demos and benchmarks: real 镇海区 codes, Chinese names, fen."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from domain.codes import NodeCode, division_name, known_divisions
from domain.uscc import make_uscc

if TYPE_CHECKING:
    from collections.abc import Iterator

Item = tuple[str, dict[str, Any]]

_ACTIVITIES = [
    ("舞蹈队", "文体活动"),
    ("合唱团", "文体活动"),
    ("太极拳队", "文体活动"),
    ("书画社", "文体活动"),
    ("腰鼓队", "文体活动"),
    ("读书会", "文体活动"),
    ("志愿服务队", "公益慈善"),
    ("爱心帮扶队", "公益慈善"),
    ("助老服务队", "公益慈善"),
    ("邻里互助会", "生活服务"),
    ("便民维修队", "生活服务"),
    ("家政互助社", "生活服务"),
    ("平安巡逻队", "社区事务"),
    ("矛盾调解队", "社区事务"),
    ("垃圾分类督导队", "社区事务"),
]
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
)
_GIVEN = [
    "秀英",
    "桂英",
    "建国",
    "志强",
    "丽华",
    "海燕",
    "国平",
    "美玲",
    "伟",
    "芳",
    "敏",
    "静",
    "磊",
    "军",
    "洋",
    "勇",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
]
_BANDS = {
    "一类": (300_000, 400_000),
    "二类": (200_000, 300_000),
    "三类": (100_000, 200_000),
}
_REGISTERED_KINDS = [
    ("社会工作服务中心", "2"),
    ("养老服务中心", "2"),
    ("志愿者协会", "1"),
    ("慈善协会", "1"),
    ("文化艺术团", "1"),
    ("青少年服务中心", "2"),
]
PROGRAM = "社区社会组织日常活动补助"


def community_codes(street: str | None = None) -> list[NodeCode]:
    """Real 镇海区 community codes, optionally those of one street."""
    codes = [
        d.code
        for d in known_divisions().values()
        if d.code.tier == "community"
        and (street is None or d.code.value.startswith(street))
    ]
    return sorted(codes)


@dataclass
class _Org:
    ref: str
    community: str
    filed_on: date
    grade: str | None = None
    history: list[str] = field(default_factory=list)


@dataclass
class Generator:
    """Builds a node's facts year by year, deterministically from a seed."""

    node: NodeCode
    seed: int = 2019
    rng: random.Random = field(init=False)
    _serial: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"{self.seed}:{self.node}")

    def person(self) -> dict[str, str]:
        """A responsible person (personal data: a name and a mobile number)."""
        name = self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)
        phone = "13" + "".join(self.rng.choice("0123456789") for _ in range(9))
        return {"name": name, "phone": phone}

    def filing(self, community: NodeCode, on: date) -> tuple[_Org, Item]:
        """One grassroots organization filed at this node."""
        self._serial += 1
        division = known_divisions().get(community.value)
        place = (
            (division.name if division else "社区")
            .removesuffix("社区")
            .removesuffix("村委会")
        )
        activity, category = self.rng.choice(_ACTIVITIES)
        number = f"镇民备{on.year}{self._serial:05d}号"
        data = {
            "filing_number": number,
            "name": f"{place}{activity}{self._serial}",
            "category": category,
            "community": community.value,
            "responsible_person": self.person(),
            "member_count": self.rng.randint(8, 80),
            "venue": f"{place}社区活动室",
            "funds": f"{self.rng.randint(0, 50) * 100}",
            "funds_source": "会员自筹",
            "guiding_unit": f"{division_name(self.node) or '街道'}社会组织服务中心",
            "effective_on": on.isoformat(),
        }
        return _Org(number, community.value, on), ("OrganizationFiled", data)

    def grading(self, org: _Org, on: date) -> Item:
        """A yearly class evaluation: mostly passed, about one in eight not passed."""
        roll = self.rng.random()
        org.grade = (
            "不合格"
            if roll < 0.12
            else "一类"
            if roll < 0.35
            else "二类"
            if roll < 0.75
            else "三类"
        )
        return (
            "GradeEvaluated",
            {
                "org": org.ref,
                "scheme": "class",
                "grade": org.grade,
                "score": self.rng.randint(60, 100),
                "effective_on": on.isoformat(),
            },
        )

    def subsidy(self, org: _Org, year: int, on: date) -> Item | None:
        """A yearly subsidy within the grade's band, split street / community."""
        if org.grade not in _BANDS:
            return None  # not passed or not classed: no money
        low, high = _BANDS[org.grade]
        amount = self.rng.randrange(low, high + 1, 10_000)
        street = amount * 6 // 10
        return (
            "SubsidyDecided",
            {
                "org": org.ref,
                "program": PROGRAM,
                "period": str(year),
                "amount_fen": amount,
                "shares_fen": {"street": street, "community": amount - street},
                "grade_scheme": "class",
                "grade": org.grade,
                "effective_on": on.isoformat(),
            },
        )

    def years(
        self, first: int, last: int, new_per_year: int, communities: list[NodeCode]
    ) -> Iterator[Item]:
        """Filings, evaluations and subsidies for each year, in date order."""
        orgs: list[_Org] = []
        for year in range(first, last + 1):
            for _ in range(new_per_year):
                day = date(year, 1, 10) + timedelta(days=self.rng.randint(0, 150))
                org, item = self.filing(self.rng.choice(communities), day)
                orgs.append(org)
                yield item
            for org in orgs:
                yield self.grading(org, date(year, 11, 20))
            for org in orgs:
                subsidy = self.subsidy(org, year, date(year, 12, 15))
                if subsidy:
                    yield subsidy

    def registration(self, on: date, community: NodeCode | None = None) -> Item:
        """A legal-person organization registered directly by a district."""
        suffix, category = self.rng.choice(_REGISTERED_KINDS)
        self._serial += 1
        data: dict[str, Any] = {
            "uscc": make_uscc(self.rng, category, self.node.value[:6]),
            "name": f"宁波市镇海区{suffix}{self._serial}",
            "legal_form": "social_group"
            if category == "1"
            else "social_service_institution",
            "effective_on": on.isoformat(),
        }
        if community is not None:
            data["community"] = community.value
        return ("OrganizationRegistered", data)

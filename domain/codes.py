"""Statistical division codes that identify nodes: district, street, community."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from domain.errors import InvalidNodeCodeError, UnknownDivisionError, excerpt
from domain.messages import Text

# Length of the code -> tier name. A city (4 digits) sits above districts so the
# same protocol can grow a tier without touching code paths that do not need to.
TIERS: dict[int, str] = {4: "city", 6: "district", 9: "street", 12: "community"}
TIER_LABELS: dict[str, str] = {
    "city": "市",
    "district": "区/县",
    "street": "街道/镇",
    "community": "社区/村",
}
_LENGTHS = sorted(TIERS)


@dataclass(frozen=True, order=True)
class NodeCode:
    """A node's division code; its length gives the tier, its prefix the parent."""

    value: str

    @classmethod
    def parse(cls, text: object) -> NodeCode:
        """Validate and normalise a code (12-digit padded forms shrink to the tier)."""
        if not isinstance(text, str):
            raise InvalidNodeCodeError(
                Text(
                    "node code must be a string of digits: {value}",
                    value=excerpt(text, 48),
                )
            )
        code = _strip_padding(text.strip())
        if not code:
            raise InvalidNodeCodeError(Text("node code is empty"))
        if not code.isascii() or not code.isdigit():
            raise InvalidNodeCodeError(
                Text(
                    "node code {code} must contain digits only", code=excerpt(text, 48)
                )
            )
        if len(code) not in TIERS:
            raise InvalidNodeCodeError(
                Text(
                    "node code {code} has {count} digits; expected 4 (city), "
                    "6 (district), 9 (street), 12 (community)",
                    code=excerpt(text, 48),
                    count=len(code),
                )
            )
        _check_parts(text, code)
        return cls(code)

    @property
    def tier(self) -> str:
        """The tier name: city, district, street or community."""
        return TIERS[len(self.value)]

    @property
    def parent(self) -> NodeCode | None:
        """The node one tier up, or None at the top tier."""
        index = _LENGTHS.index(len(self.value))
        return NodeCode(self.value[: _LENGTHS[index - 1]]) if index else None

    def contains(self, other: NodeCode) -> bool:
        """True when ``other`` is this node or lies below it."""
        return other.value.startswith(self.value)

    def __str__(self) -> str:
        return self.value


def _strip_padding(code: str) -> str:
    """Turn XXXXXXYYY000 into the street code and XXXXXX000000 into the district."""
    if len(code) == 12 and code.endswith("000000"):
        return code[:6]
    if len(code) == 12 and code.endswith("000"):
        return code[:9]
    return code


def _check_parts(text: str, code: str) -> None:
    if set(code) == {"0"}:
        raise InvalidNodeCodeError(
            Text("node code {code} is all zeros", code=excerpt(text, 48))
        )
    if len(code) >= 9 and code[6:9] == "000":
        raise InvalidNodeCodeError(
            Text("node code {code} has township part 000", code=excerpt(text, 48))
        )
    if len(code) == 12 and code[9:12] == "000":
        raise InvalidNodeCodeError(
            Text("node code {code} has community part 000", code=excerpt(text, 48))
        )


@dataclass(frozen=True)
class Division:
    """A named division from the shipped NBS data."""

    code: NodeCode
    name: str


@cache
def known_divisions() -> dict[str, Division]:
    """Streets and communities with real codes, shipped from the NBS data."""
    found: dict[str, Division] = {}
    data = resources.files("domain") / "data"
    with (data / "townships.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found[row["code9"]] = Division(NodeCode(row["code9"]), row["name"])
    with (data / "zhenhai_communities.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found[row["code12"]] = Division(NodeCode(row["code12"]), row["name"])
    for code, name in DISTRICTS.items():
        found[code] = Division(NodeCode(code), name)
    return found


DISTRICTS: dict[str, str] = {
    "330203": "海曙区",
    "330211": "镇海区",
    "330213": "奉化区",
    "511802": "雨城区",
}


def division_name(code: NodeCode) -> str | None:
    """The official name of a division, when the shipped data knows it."""
    division = known_divisions().get(code.value)
    return division.name if division else None


def official_name(code: NodeCode) -> str:
    """The official name of a division; UnknownDivisionError, saying what the
    shipped list covers, when it does not name it (a mistyped code, most likely)."""
    name = division_name(code)
    if name is not None:
        return name
    listed = {d.code.value[:6] for d in known_divisions().values()}
    with_communities = {
        d.code.value[:6] for d in known_divisions().values() if len(d.code.value) == 12
    }
    raise UnknownDivisionError(
        Text(
            "division {code} is not in the shipped division list (the streets of "
            "{districts}; the communities of {communities}): check the code, or "
            "give the node's name with --name",
            code=code.value,
            districts=_named(listed),
            communities=_named(with_communities),
        ),
        field="node",
    )


def _named(districts: set[str]) -> str:
    return ", ".join(f"{DISTRICTS[code]} {code}" for code in sorted(districts))

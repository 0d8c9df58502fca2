"""A realistic district: every 镇海区 street and community, years of facts, as JSONL.

    python -m bench.generate OUT_DIR [--years 2015-2024] [--per-year 12]

Writes one `<node>.jsonl` per node (the district's registrations and evaluations, each
street's filings, class evaluations and subsidies), ready for `tierledger import`.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from domain.codes import NodeCode, known_divisions
from testdata.generator import Generator, community_codes

if TYPE_CHECKING:
    from collections.abc import Iterator

    from testdata.generator import Item

DISTRICT = NodeCode("330211")


def streets() -> list[NodeCode]:
    """镇海区's streets and towns that have communities in the shipped data."""
    codes = {c.parent for c in community_codes() if c.parent is not None}
    return sorted(c for c in codes if c.value in known_divisions())


def street_facts(
    street: NodeCode, first: int, last: int, per_year: int
) -> Iterator[Item]:
    """Filings in the street's communities, yearly grades and subsidies."""
    generator = Generator(street)
    yield from generator.years(first, last, per_year, community_codes(street.value))


def district_facts(first: int, last: int, per_year: int) -> Iterator[Item]:
    """Direct registrations by the district and national grades every fifth year."""
    generator = Generator(DISTRICT)
    registered: list[str] = []
    communities = community_codes()
    for year in range(first, last + 1):
        for _ in range(per_year):
            day = date(year, 3, 1) + timedelta(days=generator.rng.randint(0, 200))
            fact_type, data = generator.registration(
                day, generator.rng.choice(communities)
            )
            registered.append(data["uscc"])
            yield fact_type, data
        for uscc in registered[(year - first) % 5 :: 5]:
            grade = generator.rng.choice(["5A", "4A", "3A", "3A", "2A", "1A", "无等级"])
            yield (
                "GradeEvaluated",
                {
                    "org": uscc,
                    "scheme": "national",
                    "grade": grade,
                    "effective_on": f"{year}-12-01",
                },
            )


def write(path: Path, items: Iterator[Item]) -> int:
    """Write items as JSONL; return how many."""
    count = 0
    with path.open("w", encoding="utf-8") as f:
        for fact_type, data in items:
            f.write(
                json.dumps({"type": fact_type, "data": data}, ensure_ascii=False) + "\n"
            )
            count += 1
    return count


def main() -> None:
    """Generate the district's JSONL files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--years", default="2015-2024")
    parser.add_argument("--per-year", type=int, default=12)
    args = parser.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    args.out.mkdir(parents=True, exist_ok=True)
    total = write(
        args.out / f"{DISTRICT}.jsonl", district_facts(first, last, args.per_year)
    )
    for street in streets():
        total += write(
            args.out / f"{street}.jsonl",
            street_facts(street, first, last, args.per_year),
        )
    print(f"wrote {total} facts for {len(streets()) + 1} nodes to {args.out}")


if __name__ == "__main__":
    main()

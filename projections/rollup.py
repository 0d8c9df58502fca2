"""Roll-ups: a node's organizations, grades and money per child node, at any point."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from domain.codes import TIERS, NodeCode, division_name
from domain.grades import shipped_schemes
from domain.money import FUNDING_SOURCES
from domain.values import LegalForm
from projections import queries, subsidy_days
from projections.models.base import marks
from projections.models.rollup import Rollup
from projections.orgs import Brief, org_briefs
from projections.registry import latest_classes

if TYPE_CHECKING:
    from collections.abc import Callable

    from projections.view import LedgerView, Point

_LENGTHS = sorted(TIERS)
CLOSED = ("deregistered", "revoked")


def child_length(node: NodeCode, *, communities: bool = False) -> int:
    """Length of the codes a roll-up of ``node`` groups by: its children's, or its
    communities' when asked (a community groups by itself)."""
    if communities or len(node.value) == _LENGTHS[-1]:
        return _LENGTHS[-1]
    return _LENGTHS[_LENGTHS.index(len(node.value)) + 1]


def rollup(
    view: LedgerView,
    node: NodeCode,
    point: Point,
    *,
    communities: bool = False,
    period: str | None = None,
) -> Rollup:
    """Counts, grade distributions and subsidies per child of ``node`` at ``point``;
    money per period (only ``period``'s, if given), never summed across periods.

    Organizations count where they are (their home community, else the node that
    filed or registered them); subsidies where they were decided.
    """
    clen = child_length(node, communities=communities)
    children: dict[str, dict[str, Any]] = defaultdict(_empty_child)
    orgs, classes, money = _read(view, point)
    if period is not None:
        money = [row for row in money if row[1] == period]
    child_of = {org_id: _child(brief[0], node, clen) for org_id, brief in orgs.items()}
    for org_id, brief in orgs.items():
        _count_org(children[child_of[org_id]]["organizations"], brief)
    _grades(classes, orgs, child_of, children)
    _subsidies(money, node, clen, children)
    names = node_names(view)
    return Rollup.model_validate(
        {
            "chain_broken": marks(point),
            "node": node.value,
            "as_of": point.as_of,
            "known_pos": point.pos,
            "period": period,
            "periods": sorted({row[1] for row in money}),
            "children": [
                {"code": code, "name": names(code), **children[code]}
                for code in sorted(children)
            ],
            "totals": _totals(children.values()),
        }
    )


def _read(
    view: LedgerView, point: Point
) -> tuple[dict[str, Brief], dict[tuple[str, str], str], list[tuple[Any, ...]]]:
    """The organizations in brief, their latest evaluations' classes, and the live
    money, as of the point."""
    if not view.concurrent_reads:
        orgs = org_briefs(view, point)
        return orgs, latest_classes(view, point), live_subsidies(view, point)
    # The server finds the evaluations and the money on a second connection while
    # this thread merges the identity facts, each about half of a roll-up (a point's
    # rows do not change under it).
    with ThreadPoolExecutor(max_workers=1) as beside:
        classes = beside.submit(latest_classes, view, point)
        money = beside.submit(live_subsidies, view, point)
        return org_briefs(view, point), classes.result(), money.result()


def _child(home: str, node: NodeCode, clen: int) -> str:
    """The row a home or deciding node counts under: its child at the roll-up's
    level; a node of the subtree above that level (a street, when rolling up per
    community) is its own row; anything else is the node's own."""
    if not home.startswith(node.value):
        return node.value
    return home[:clen] if len(home) >= clen else home


def _empty_child() -> dict[str, Any]:
    return {
        "organizations": {
            "filed": 0,
            "registered": dict.fromkeys((f.value for f in LegalForm), 0),
            "registered_total": 0,
            "deregistered": 0,
            "revoked": 0,
            "upgrades": 0,
        },
        "grades": {},
        "subsidies": [],
    }


def _count_org(counts: dict[str, Any], brief: Brief) -> None:
    _, status, legal_form, upgraded = brief
    if status == "registered":
        form = legal_form or "unknown"
        counts["registered"][form] = counts["registered"].get(form, 0) + 1
        counts["registered_total"] += 1
    elif status in ("filed", *CLOSED):
        counts[status] += 1
    if upgraded:
        counts["upgrades"] += 1


def _grades(
    classes: dict[tuple[str, str], str],
    orgs: dict[str, Brief],
    child_of: dict[str, str],
    children: dict[str, dict[str, Any]],
) -> None:
    """Per scheme in use: the class of each organization the scheme applies to
    (its grade, not passed, or expired), and how many of them are ungraded."""
    schemes = shipped_schemes()
    used = sorted({scheme for _, scheme in classes} & set(schemes))
    for key in used:
        applies_to = schemes[key].applies_to
        for org_id, (_, status, _, _) in orgs.items():
            if status != applies_to:
                continue  # e.g. a class grade of an organization since registered
            kind = classes.get((org_id, key), "ungraded")
            counts = children[child_of[org_id]]["grades"].setdefault(key, {})
            counts[kind] = counts.get(kind, 0) + 1


def live_subsidies(view: LedgerView, point: Point) -> list[tuple[Any, ...]]:
    """``queries.ROLLUP_SUBSIDIES``'s rows: from the daily sums when the point knows
    every subsidy the view knows (``projections.subsidy_days``), else from the
    decisions."""
    rows = view.fetch(subsidy_days.ROLLUP, point.params())
    if point.pos >= max(rows[0][0] or 0, rows[0][1] or 0):
        return [row[2:] for row in rows if row[2] is not None]
    return view.fetch(queries.ROLLUP_SUBSIDIES, point.params())


def _subsidies(
    rows: list[tuple[Any, ...]],
    node: NodeCode,
    clen: int,
    children: dict[str, dict[str, Any]],
) -> None:
    """Live subsidies (``queries.ROLLUP_SUBSIDIES``) per child whose subtree decided
    them, period, program and deciding tier: count, total and each funding source's
    share."""
    sums: dict[tuple[str, str, str, str], list[int]] = {}
    for origin, period, program, count, *money in rows:
        key = (_child(origin, node, clen), period, program, TIERS[len(origin)])
        held = sums.setdefault(key, [0] * (len(money) + 1))
        for index, value in enumerate((count, *money)):
            held[index] += int(value or 0)
    for (child, period, program, tier), (count, total, *shares) in sorted(sums.items()):
        children[child]["subsidies"].append(
            {
                "period": period,
                "program": program,
                "tier": tier,
                "count": count,
                "total_fen": total,
                "by_source": {
                    source: share
                    for source, share in zip(FUNDING_SOURCES, shares, strict=True)
                    if share
                },
            }
        )


def _totals(children: Any) -> dict[str, Any]:
    """Every row's organizations, and every row's money per period."""
    orgs: dict[str, Any] = _empty_child()["organizations"]
    periods: dict[str, dict[str, Any]] = {}
    for child in children:
        for key, value in child["organizations"].items():
            if isinstance(value, dict):
                for form, n in value.items():
                    orgs[key][form] = orgs[key].get(form, 0) + n
            else:
                orgs[key] += value
        for subsidy in child["subsidies"]:
            total = periods.setdefault(
                subsidy["period"],
                {"period": subsidy["period"], "count": 0, "total_fen": 0,
                 "by_source": defaultdict(int)},
            )  # fmt: skip
            total["count"] += subsidy["count"]
            total["total_fen"] += subsidy["total_fen"]
            for source, fen in subsidy["by_source"].items():
                total["by_source"][source] += fen
    money = [periods[key] for key in sorted(periods)]
    return {"organizations": orgs, "subsidies": money}


def node_names(view: LedgerView) -> Callable[[str], str]:
    """A node's name by its code: from its genesis fact when held, else from the
    division data the product ships (城东社区, 招宝山街道 …), else the code."""
    held = dict(view.fetch(queries.NODE_NAMES, {}))
    return lambda code: held.get(code) or _division(code)


def _division(code: str) -> str:
    try:
        return division_name(NodeCode(code)) or code
    except ValueError:
        return code

"""Audit questions over a node's views: what changed between two knowledge instants
and which facts caused it; every fact about one organization, in both orders."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from domain.codes import TIERS
from projections import queries, registry, rollup
from projections.models.audit import (
    AuditDiff,
    AuditTimeline,
    FigureChange,
    LearnedFact,
    LearnedVersion,
    Standpoint,
)
from projections.models.base import marks

if TYPE_CHECKING:
    from collections.abc import Callable

    from domain.codes import NodeCode
    from projections.view import LedgerView, Point

LEARNED = queries.every_fact(
    "pos, origin, seq, {kind}, org_id, effective_on, recorded_at",
    "pos > :after AND pos <= :p AND effective_on <= :d",
)
"""Facts about organizations this node learned in (:after, :p], in force by :d."""
TIMELINE = queries.every_fact(
    "pos, origin, seq, {kind}, effective_on, recorded_at",
    "org_id = :org AND pos <= :p AND effective_on <= :d",
)
"""Every version of every fact about one organization known at :p."""


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """A roll-up's figures by path (lists of children and subsidies keyed by what
    identifies an entry), so two roll-ups compare figure by figure."""
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, inner in value.items():
            found.update(flatten(inner, f"{path}/{key}" if path else str(key)))
        return found
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        found = {}
        for entry in value:
            label = entry.get("code") or "·".join(
                str(entry[k]) for k in ("period", "program", "tier") if k in entry
            )
            inner = {k: v for k, v in entry.items() if k not in _LABELS}
            found.update(flatten(inner, f"{path}/{label}"))
        return found
    return {path: value}


_LABELS = ("code", "name", "period", "program", "tier")


def diff(view: LedgerView, node: NodeCode, before: Point, after: Point) -> AuditDiff:
    """What changed in the roll-up from ``before`` to ``after``, and the facts the
    node learned in between that caused it."""
    old = _figures(view, node, before)
    new = _figures(view, node, after)
    changes = [
        FigureChange(figure=path, from_=old.get(path, 0), to=new.get(path, 0))
        for path in sorted(old.keys() | new.keys())
        if path not in ("as_of", "known_pos")
        and isinstance(new.get(path, 0), int)
        and old.get(path, 0) != new.get(path, 0)
    ]
    params = {**after.params(), "after": before.pos}
    facts = sorted(
        (
            LearnedFact(pos=pos, origin=o, seq=s, type=t, tier=TIERS[len(o)],
                        org_id=org, effective_on=on, recorded_at=at)
            for pos, o, s, t, org, on, at in view.fetch(LEARNED, params)
        ),
        key=lambda f: f.pos,
    )  # fmt: skip
    return AuditDiff(
        chain_broken=marks(after),
        node=node.value,
        from_=Standpoint(as_of=before.as_of, known_pos=before.pos),
        to=Standpoint(as_of=after.as_of, known_pos=after.pos),
        changes=changes,
        facts=facts,
    )


def _figures(view: LedgerView, node: NodeCode, point: Point) -> dict[str, Any]:
    """The roll-up at ``point``, figure by figure (``flatten``)."""
    found = rollup.rollup(view, node, point)
    return flatten(found.model_dump(mode="json", exclude={"chain_broken"}))


def timeline(
    view: LedgerView,
    point: Point,
    ref: str,
    actor_of: Callable[[str, int], str | None],
) -> AuditTimeline:
    """Every fact about one organization from every tier: in business (effective)
    order, and in the order this node learned them; ``actor_of(origin, seq)`` says
    who recorded each."""
    actor_of = functools.cache(actor_of)  # the organization's page asks it too
    org = registry.organization(view, point, ref, actor_of)
    first: dict[tuple[str, int], LearnedVersion] = {}
    params = {**point.params(), "org": org.org_id}
    for pos, o, s, t, on, at in sorted(view.fetch(TIMELINE, params), reverse=True):
        # A correction adds a version at its own position: a fact was learned with
        # its first version; the row shows the latest known.
        latest = first.get((o, s))
        first[o, s] = LearnedVersion(
            origin=o, seq=s, type=t, tier=TIERS[len(o)],
            effective_on=latest.effective_on if latest else on,
            recorded_at=at, learned_pos=pos,
            actor=actor_of(o, s),
        )  # fmt: skip
    rows = list(first.values())
    return AuditTimeline(
        chain_broken=marks(point),
        org_id=org.org_id,
        name=org.name,
        status=org.status,
        in_effective_order=sorted(
            rows, key=lambda f: (f.effective_on, f.origin, f.seq)
        ),
        in_knowledge_order=sorted(rows, key=lambda f: f.learned_pos),
    )

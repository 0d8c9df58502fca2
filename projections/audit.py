"""Audit questions over a node's views: every fact about one organization, in both
orders (what changed between two standpoints: ``projections.audit_diff``)."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from domain.codes import TIERS
from projections import queries, registry
from projections.models.audit import AuditTimeline, LearnedVersion
from projections.models.base import marks

if TYPE_CHECKING:
    from collections.abc import Callable

    from projections.view import LedgerView, Point

TIMELINE = queries.every_fact(
    "pos, origin, seq, {kind}, effective_on, recorded_at",
    "org_id = :org AND pos <= :p AND effective_on <= :d",
)
"""Every version of every fact about one organization known at :p."""


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

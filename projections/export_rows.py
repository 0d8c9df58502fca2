"""What exports read beyond the registry: every evaluation and every live subsidy
at a point, and where each organization's filing and its corrections are (for its
responsible person)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from projections.queries import KNOWN, LIVE
from projections.tables import SHARES

if TYPE_CHECKING:
    from projections.view import LedgerView, Point

GRADES = f"""
    SELECT org_id, origin, seq, scheme, grade, effective_on FROM {{view_grades}}
    WHERE {KNOWN} ORDER BY effective_on, origin, seq"""
SUBSIDIES = f"""
    SELECT org_id, origin, seq, program, period, amount_fen, {", ".join(SHARES)},
           basis_scheme, basis_grade, effective_on
    FROM {{view_subsidies}} WHERE {LIVE} ORDER BY effective_on, origin, seq"""
FILINGS = f"""
    SELECT org_id, origin, seq FROM {{view_identities}}
    WHERE type = 'OrganizationFiled' AND {KNOWN}"""
CORRECTIONS = """
    SELECT origin, ref_seq, seq FROM {view_changes}
    WHERE type = 'FactCorrected' AND pos <= :p ORDER BY origin, seq"""
"""Corrections known at :p, whatever their date: as the view revises what they
correct from the moment they are known."""


class Evaluation(NamedTuple):
    """A grade evaluation in force at the point."""

    org_id: str
    origin: str
    seq: int
    scheme: str
    grade: str
    effective_on: str


class Decision(NamedTuple):
    """A subsidy decision live at the point: its money in fen, by source."""

    org_id: str
    origin: str
    seq: int
    program: str
    period: str
    amount_fen: int
    shares: dict[str, int]
    scheme: str | None
    grade: str | None
    effective_on: str


def evaluations(view: LedgerView, point: Point) -> list[Evaluation]:
    """Every evaluation known at the point and made by its date, oldest first."""
    return [Evaluation(*row) for row in view.fetch(GRADES, point.params())]


def decisions(view: LedgerView, point: Point) -> list[Decision]:
    """Every subsidy decided by the point's date and not revoked by then."""
    found = []
    for row in view.fetch(SUBSIDIES, point.params()):
        org_id, origin, seq, program, period, amount = row[:6]
        parts = row[6 : 6 + len(SHARES)]
        shares = {
            name.removeprefix("s_"): int(part)
            for name, part in zip(SHARES, parts, strict=True)
            if part
        }
        scheme, grade, on = row[6 + len(SHARES) :]
        found.append(
            Decision(org_id, origin, int(seq), program, period, int(amount),
                     shares, scheme, grade, on)
        )  # fmt: skip
    return found


def filings(view: LedgerView, point: Point) -> dict[str, tuple[str, int]]:
    """Each filed organization's filing: its origin and seq."""
    return {
        org_id: (origin, int(seq))
        for org_id, origin, seq in view.fetch(FILINGS, point.params())
    }


def corrections(view: LedgerView, point: Point) -> list[tuple[str, int, int]]:
    """Every correction known at the point: its origin, the seq it corrects, its
    own seq; in seq order within each origin."""
    return [
        (origin, int(ref), int(seq))
        for origin, ref, seq in view.fetch(CORRECTIONS, point.params())
    ]

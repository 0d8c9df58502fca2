"""Reconciliation: rules R1–R9 (DESIGN.md §6) over everything a node holds at a point.

Each rule has a stable id and severity; each discrepancy names the organization, says
what is wrong in Chinese and English, and carries its evidence — the origin and seq of
every fact involved — so an auditor can open each one. Money rules judge a decision by
the policy in force for its deciding node on its decision date (``domain.policy``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from domain.identity import org_id_for_uscc
from domain.money import FUNDING_SOURCES, format_yuan
from projections.findings import Judge

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from domain.policy import Program
    from projections.findings import Discrepancy
    from projections.holdings import Identity, Subsidy


class Reconciler(Judge):
    """Runs every rule over one node's holdings."""

    def run(self) -> list[Discrepancy]:
        """Every discrepancy, by rule, organization and evidence."""
        checks: list[Callable[[], Iterator[Discrepancy]]] = [
            self.per_subsidy,
            self.duplicates,
            self.identities,
            self.unknown_orgs,
            self.cited_filings,
            self.after_closing,
        ]
        found = [d for check in checks for d in check()]
        key = [
            (d.rule, d.org_name, [(e.origin, e.seq) for e in d.evidence]) for d in found
        ]
        return [d for _, d in sorted(zip(key, found, strict=True), key=lambda p: p[0])]

    # R1, R2, R3, R4 (split) and R5: one decision at a time.
    def per_subsidy(self) -> Iterator[Discrepancy]:
        """Bands, grades in force, cited grades, funding shares and splits."""
        for s in self.h.subsidies:
            if sum(s.shares.values()) != s.amount_fen:
                yield self.finding(
                    "R5", s.org_id, [s], total=format_yuan(sum(s.shares.values())),
                    amount=format_yuan(s.amount_fen),
                )  # fmt: skip
            if s.org_id not in self.h.known_orgs:
                continue  # R7 reports it; its grades cannot be judged
            program = self.h.program(s.origin, s.decided_on, s.program)
            yield from self.grade_basis(s, program)
            if program is not None:
                yield from self.money(s, program)

    def grade_basis(self, s: Subsidy, program: Program | None) -> Iterator[Discrepancy]:
        """R2 (no grade in force) and R3 (the cited grade is not the recorded one)."""
        schemes = [s.scheme] if s.scheme else list(program.bands) if program else []
        grades = [
            g
            for g in (self.h.grade_on(s.org_id, k, s.decided_on) for k in schemes)
            if g
        ]
        if schemes and not any(g.in_force(s.decided_on) for g in grades):
            case = "absent" if not grades else "not_passed"
            if grades and grades[-1].passed:
                case = "expired"
            found = self.finding(
                "R2", s.org_id, [s, *grades], case=case, day=s.decided_on,
                grade=grades[-1].grade if grades else "",
            )  # fmt: skip
            if case == "absent":  # one may wait at a node that can know the org
                found = self.pend(found, [s], self.h.homes.get(s.org_id, ()))
            yield found
        if s.scheme and grades and grades[0].grade != s.grade:
            yield self.finding(
                "R3", s.org_id, [s, grades[0]], cited=s.grade, recorded=grades[0].grade,
                by=grades[0].origin,
            )  # fmt: skip

    def money(self, s: Subsidy, program: Program) -> Iterator[Discrepancy]:
        """R1 (band and cap of the policy) and R4 (the policy's funding split)."""
        if program.cap_fen is not None and s.amount_fen > program.cap_fen:
            yield self.finding(
                "R1", s.org_id, [s], case="cap", amount=format_yuan(s.amount_fen),
                cap=format_yuan(program.cap_fen), program=s.program,
            )  # fmt: skip
        basis = self.basis(s, program)
        band = program.band(*basis) if basis else None
        if basis and basis[0] in program.bands and band is None:
            yield self.finding(
                "R1", s.org_id, [s], case="no_band", grade=basis[1], program=s.program
            )
        elif band is not None and not band[0] <= s.amount_fen <= band[1]:
            yield self.finding(
                "R1", s.org_id, [s], case="band", amount=format_yuan(s.amount_fen),
                grade=basis[1] if basis else "", low=format_yuan(band[0]),
                high=format_yuan(band[1]),
            )  # fmt: skip
        if program.split is not None and not _follows(s, program.split):
            expected = ", ".join(f"{k} {v}%" for k, v in program.split.items())
            yield self.finding("R4", s.org_id, [s], case="split", split=expected)

    def basis(self, s: Subsidy, program: Program) -> tuple[str, str] | None:
        """The grade a decision is judged by: the one it cites, else the one in
        force."""
        if s.scheme and s.grade:
            return s.scheme, s.grade
        for scheme in program.bands:
            grade = self.h.grade_on(s.org_id, scheme, s.decided_on)
            if grade is not None and grade.in_force(s.decided_on):
                return scheme, grade.grade
        return None  # no grade in force: R2 says so

    def duplicates(self) -> Iterator[Discrepancy]:
        """R4: one organization, program and period paid more than once."""
        paid: dict[tuple[str, str, str], list[Subsidy]] = defaultdict(list)
        for s in self.h.subsidies:
            paid[s.org_id, s.program, s.period].append(s)
        for (org_id, program, period), decisions in paid.items():
            if len(decisions) > 1:
                yield self.finding(
                    "R4", org_id, decisions, case="twice", program=program,
                    period=period, count=len(decisions),
                    tiers=", ".join(sorted({d.origin for d in decisions})),
                )  # fmt: skip

    def identities(self) -> Iterator[Discrepancy]:
        """R6 (one USCC or one filing twice) and R9 (upgrade vs registration)."""
        by_uscc: dict[str, list[Identity]] = defaultdict(list)
        filed: dict[tuple[str | None, str | None], list[Identity]] = defaultdict(list)
        per_org: dict[str, dict[str, Identity]] = defaultdict(dict)
        for i in self.h.identities:
            if i.uscc and i.type == "OrganizationRegistered":
                by_uscc[i.uscc].append(i)
            if i.type == "OrganizationFiled":
                filed[i.community, i.name].append(i)
            per_org[i.org_id].setdefault(i.type, i)
        for uscc, found in by_uscc.items():
            if len(found) > 1:
                yield self.finding("R6", found[0].org_id, found, case="uscc", uscc=uscc)
        for (community, _name), found in filed.items():
            if len({i.org_id for i in found}) > 1:
                yield self.finding(
                    "R6", found[0].org_id, found, case="filing", community=community
                )
        for org_id, kinds in per_org.items():
            up, reg = (
                kinds.get("OrganizationUpgraded"),
                kinds.get("OrganizationRegistered"),
            )
            if (
                up
                and reg
                and (up.uscc, up.effective_on) != (reg.uscc, reg.effective_on)
            ):
                yield self.finding(
                    "R9", org_id, [up, reg], up_uscc=up.uscc, up_on=up.effective_on,
                    reg_uscc=reg.uscc, reg_on=reg.effective_on, by=reg.origin,
                )  # fmt: skip

    def unknown_orgs(self) -> Iterator[Discrepancy]:
        """R7: facts about an organization no filing or registration here names;
        where it was filed is unknown, so any descendant of their origins may hold
        its filing."""
        about: dict[str, list[Any]] = defaultdict(list)
        for s in self.h.subsidies:
            about[s.org_id].append(s)
        for (org_id, _), grades in self.h.grades.items():
            about[org_id].extend(grades)
        for i in self.h.identities:
            about[i.org_id].append(i)
        for org_id, facts in about.items():
            if org_id not in self.h.known_orgs:
                found = self.finding("R7", org_id, facts, count=len(facts))
                yield self.pend(found, facts)

    def cited_filings(self) -> Iterator[Discrepancy]:
        """R7: a registration upgraded from a filing (转登记) no fact here records;
        the fact names the filing by its org_id only, so any descendant of the
        registering node may hold it."""
        filed = {i.org_id for i in self.h.identities if i.type == "OrganizationFiled"}
        for i in self.h.identities:
            if _upgrades(i) and i.org_id not in filed:
                yield self.pend(self.finding("R7", i.org_id, [i], case="filing"), [i])

    def after_closing(self) -> Iterator[Discrepancy]:
        """R8: grades, subsidies or upgrades dated after a deregistration."""
        closed = {
            i.org_id: i
            for i in self.h.identities
            if i.type == "OrganizationDeregistered"
        }
        if not closed:
            return
        later: dict[str, list[Any]] = defaultdict(list)
        dated: list[tuple[str, str, Any]] = [
            (s.org_id, s.decided_on, s) for s in self.h.subsidies
        ]
        dated.extend(
            (g.org_id, g.evaluated_on, g) for gs in self.h.grades.values() for g in gs
        )
        for org_id, on, fact in dated:
            end = closed.get(org_id)
            if end is not None and on > end.effective_on:
                later[org_id].append(fact)
        for org_id, facts in later.items():
            end = closed[org_id]
            yield self.finding(
                "R8",
                org_id,
                [end, *facts],
                closed_on=end.effective_on,
                count=len(facts),
            )


def _follows(s: Subsidy, split: dict[str, int]) -> bool:
    """True when each source's share is its percent of the amount, to the fen."""
    for source in FUNDING_SOURCES:
        exact = s.amount_fen * split.get(source, 0)
        if abs(s.shares[source] * 100 - exact) >= 100:
            return False
    return True


def _upgrades(i: Identity) -> bool:
    """True for a registration upgraded from a filing (it keeps the filed org_id)."""
    return (
        i.type == "OrganizationRegistered"
        and i.uscc is not None
        and i.org_id != str(org_id_for_uscc(i.uscc))
    )

"""An audit diff as an auditor reads it: named nodes and organizations, yuan, and
one row per change or per fact — never internal keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.i18n import _, say
from cli.labels import count_label, label
from cli.output import console
from cli.view_output import rows_table
from domain.messages import Text
from domain.money import format_yuan
from projections.models.audit_diff import CountChange, GradeChange, MoneyChange
from projections.words import CLASSES, FACT_TYPES, SCHEMES, TIERS

if TYPE_CHECKING:
    from projections.models.audit_diff import AuditDiff, FactInDiff, Standpoint

Row = dict[str, str]
Change = CountChange | GradeChange | MoneyChange
"""One figure of one roll-up row that changed."""


def print_diff(found: AuditDiff) -> None:
    """The changes, then the facts that made them, as tables."""
    title = Text(
        "Roll-up of {name} ({node}): from {before} to {after}",
        name=found.node_name,
        node=found.node,
        before=standpoint(found.from_),
        after=standpoint(found.to),
    )
    changes: list[Change] = [*found.organizations, *found.grades, *found.money]
    # Row by row (every row together last), each row's counts, grades, then money.
    changes.sort(key=lambda c: (c.node is None, c.node or ""))
    rows = [_change_row(c) for c in changes]
    if rows:
        console.print(rows_table(rows, say(title)))
    else:
        console.print(say(Text("{title}: nothing changed", title=title)), markup=False)
    facts = [fact_row(f) for f in found.facts]
    heading = Text("{count} fact(s) made the difference", count=found.facts_total)
    if found.facts_total > len(facts):
        heading = Text("{all}; the first {shown} are listed — narrow the span for "
                       "the others", all=heading, shown=len(facts))  # fmt: skip
    console.print(rows_table(facts, say(heading)))


def standpoint(side: Standpoint) -> Text:
    """A standpoint in words: the business date, and the knowledge instant if any."""
    if side.known_at is None:
        return Text("what was in force on {as_of}", as_of=side.as_of)
    return Text(
        "what was in force on {as_of} as known at {known_at}",
        as_of=side.as_of,
        known_at=side.known_at,
    )


def _where(change: Change) -> str:
    if change.node is None:
        return _("all rows")
    return say(Text("{name} ({code})", name=change.node_name, code=change.node))


def _row(change: Change, what: Text) -> Row:
    return {_("where"): _where(change), _("what"): say(what)}


def _change_row(change: Change) -> Row:
    if isinstance(change, CountChange):
        return _count_row(change)
    if isinstance(change, GradeChange):
        return _grade_row(change)
    return _money_row(change)


def _count_row(change: CountChange) -> Row:
    what = Text("organizations: {status}", status=count_label(change.figure))
    return {**_row(change, what), **_counted(change.from_, change.to)}


def _grade_row(change: GradeChange) -> Row:
    what = grade_text(change.scheme, change.grade)
    return {**_row(change, what), **_counted(change.from_, change.to)}


def grade_text(scheme: str, grade: str) -> Text:
    """A grade class in a scheme, e.g. class rating: 二类."""
    return Text(
        "{scheme}: {grade}", scheme=label(SCHEMES, scheme), grade=label(CLASSES, grade)
    )


def _counted(was: int, now: int) -> Row:
    return {_("before"): str(was), _("after"): str(now), _("change"): f"{now - was:+d}"}


def _money_row(change: MoneyChange) -> Row:
    if change.program is None:
        what = Text("subsidies for {period}: every program", period=change.period)
    else:
        what = Text(
            "subsidies for {period}: {program}, decided by the {tier}",
            period=change.period,
            program=change.program,
            tier=label(TIERS, change.tier or ""),
        )
    was, now = change.from_, change.to
    delta = (now.total_fen - was.total_fen, now.count - was.count)
    return {
        **_row(change, what),
        _("before"): _paid(was.total_fen, was.count),
        _("after"): _paid(now.total_fen, now.count),
        _("change"): _paid(*delta, signed=True),
    }


def _paid(fen: int, count: int, *, signed: bool = False) -> str:
    """Yuan and decisions, e.g. 6000.00 yuan (2 decisions)."""
    yuan = format_yuan(fen)
    if signed:
        yuan, count_shown = (f"+{yuan}" if fen > 0 else yuan), f"{count:+d}"
    else:
        count_shown = str(count)
    return say(Text("{yuan} yuan ({count} decision(s))", yuan=yuan, count=count_shown))


def fact_row(fact: FactInDiff) -> Row:
    """A fact: when in force, who recorded it, what it is, about whom, its detail."""
    kind = label(FACT_TYPES, fact.type)
    if fact.revised:
        kind = say(Text("{fact} (as revised later)", fact=kind))
    return {
        _("in force from"): fact.effective_on,
        _("recorded by"): say(
            Text(
                "{name} ({code}) #{seq}",
                name=fact.origin_name,
                code=fact.origin,
                seq=fact.seq,
            )
        ),
        _("fact"): kind,
        _("organization"): _organization(fact),
        _("details"): _details(fact),
    }


def _organization(fact: FactInDiff) -> str:
    if fact.org_id is None:
        return ""
    if fact.org_name is None:
        return say(Text("not known here ({org_id})", org_id=fact.org_id))
    if fact.org_number is None:
        return fact.org_name
    return say(Text("{name} ({number})", name=fact.org_name, number=fact.org_number))


def _details(fact: FactInDiff) -> str:
    if fact.grade is not None:
        return say(grade_text(fact.grade.scheme, fact.grade.grade))
    if fact.subsidy is not None:
        paid = fact.subsidy
        text = Text(
            "{period} {program}: {yuan} yuan",
            period=paid.period,
            program=paid.program,
            yuan=format_yuan(paid.amount_fen),
        )
        if paid.revoked_on is not None:
            text = Text("{paid}, revoked on {day}", paid=text, day=paid.revoked_on)
        return say(text)
    if fact.refers_to_seq is not None:
        return say(Text("concerns #{seq}", seq=fact.refers_to_seq))
    return ""

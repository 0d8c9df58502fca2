"""The registry as registers for Excel: 备案台账, 登记台账 and 转登记台账 (the headers
the importer reads, so an export re-imports), or one list for CSV.

Extra columns (状态, 注销日期 …) are for people; the importer reports them as not
imported. A district's workbook has each register once per street. The responsible
person's phone and ID number are masked unless the caller may see personal data.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from domain.codes import known_divisions
from domain.state import STATUS_WORDS
from domain.values import LegalForm
from infrastructure.i18n import CHINESE, translator
from infrastructure.spreadsheets.writing import Column, Sheet, Value
from projections import export_rows
from projections.documents import mask_personal

if TYPE_CHECKING:
    from collections.abc import Iterator

    from projections.models.registry import Organization
    from projections.view import Point
    from service.node import Node

NUMBER = Column("序号", "int")
FILED = [NUMBER, Column("组织名称"), Column("备案编号"), Column("组织类别"),
         Column("所属社区"), Column("负责人"), Column("联系电话"),
         Column("负责人身份证号"), Column("备案日期", "date"), Column("状态"),
         Column("统一社会信用代码"), Column("转登记日期", "date"),
         Column("注销日期", "date")]  # fmt: skip
REGISTERED = [NUMBER, Column("组织名称"), Column("统一社会信用代码"),
              Column("组织类型"), Column("所属社区"), Column("登记日期", "date"),
              Column("状态"), Column("注销日期", "date")]  # fmt: skip
UPGRADED = [NUMBER, Column("组织名称"), Column("备案编号"), Column("统一社会信用代码"),
            Column("组织类型"), Column("转登记日期", "date")]  # fmt: skip
LISTED = [NUMBER, Column("组织名称"), Column("状态"), Column("组织类型"),
          Column("统一社会信用代码"), Column("备案编号"), Column("组织类别"),
          Column("所属街道"), Column("所属社区"), Column("备案日期", "date"),
          Column("登记日期", "date"), Column("转登记日期", "date"),
          Column("注销日期", "date"), Column("负责人"), Column("联系电话")]  # fmt: skip


class People:
    """Each filed organization's responsible person, read from its filing fact and
    the corrections of it known at the point (the views hold no personal data):
    every such fact read up front, a run of consecutive seqs at a time."""

    def __init__(self, node: Node, point: Point, *, personal: bool) -> None:
        self.personal = personal
        view = node.views.view
        filings: dict[str, dict[int, str]] = defaultdict(dict)
        for org_id, (origin, seq) in export_rows.filings(view, point).items():
            filings[origin][seq] = org_id
        changes: dict[str, dict[int, str]] = defaultdict(dict)
        for origin, ref_seq, seq in export_rows.corrections(view, point):
            if ref_seq in filings[origin]:
                changes[origin][seq] = filings[origin][ref_seq]
        self.people: dict[str, dict[str, str]] = {}
        for origin, seqs in filings.items():
            for fact in node.ledger.held_facts(origin, seqs):
                self._found(seqs[fact.seq], getattr(fact, "responsible_person", None))
        for origin, seqs in changes.items():  # in seq order: the last one holds
            for fact in node.ledger.held_facts(origin, seqs):
                replacement = getattr(fact, "replacement", {})
                if "responsible_person" in replacement:
                    self._found(seqs[fact.seq], replacement["responsible_person"])

    def _found(self, org_id: str, person: dict[str, str] | None) -> None:
        if person:
            self.people[org_id] = person
        else:
            self.people.pop(org_id, None)

    def of(self, org_id: str) -> dict[str, str]:
        """Name, phone and ID number (masked unless personal data may be seen)."""
        person: Any = self.people.get(org_id) or {}
        return dict(person if self.personal else mask_personal(person))


def registers(
    node: Node, point: Point, title: str, *, personal: bool
) -> Iterator[Sheet]:
    """备案台账, 登记台账 and 转登记台账 (per street in a district's export)."""
    people = People(node, point, personal=personal)
    for place, orgs in _by_street(node, node.registry(point)):
        prefix = f"{place}·" if place else ""
        filed = [o for o in orgs if o.filing_number]
        direct = [o for o in orgs if o.registered_on and not o.filing_number]
        upgraded = [o for o in filed if o.upgraded_on]
        yield Sheet(prefix + "备案台账", f"{title} 备案台账", FILED,
                    _numbered(_filed_row(o, people) for o in filed))  # fmt: skip
        yield Sheet(prefix + "登记台账", f"{title} 登记台账", REGISTERED,
                    _numbered(_registered_row(o) for o in direct))  # fmt: skip
        yield Sheet(prefix + "转登记台账", f"{title} 转登记台账", UPGRADED,
                    _numbered(_upgraded_row(o) for o in upgraded))  # fmt: skip


def listing(node: Node, point: Point, title: str, *, personal: bool) -> Sheet:
    """Every organization in one table (CSV holds one)."""
    people = People(node, point, personal=personal)
    orgs = node.registry(point)
    return Sheet(
        "组织库", title, LISTED, _numbered(_listed_row(o, people) for o in orgs)
    )


def place_name(code: str | None) -> str:
    """A division's name where the shipped data knows it, else its code."""
    if not code:
        return ""
    division = known_divisions().get(code)
    return division.name if division else code


def status_word(status: str) -> str:
    """An organization's status in Chinese."""
    word = STATUS_WORDS.get(status)
    return word.render(translator(CHINESE)) if word else status


def form_word(form: str | None) -> str | None:
    """A legal form's Chinese name."""
    return LegalForm(form).label if form else None


def _by_street(
    node: Node, orgs: list[Organization]
) -> list[tuple[str, list[Organization]]]:
    if node.code.tier != "district":
        return [("", orgs)]
    streets: dict[str, list[Organization]] = defaultdict(list)
    for org in orgs:
        streets[org.home[:9]].append(org)
    return [(place_name(code), streets[code]) for code in sorted(streets)]


def _numbered(rows: Iterator[list[Value]]) -> Iterator[list[Value]]:
    for number, row in enumerate(rows, start=1):
        yield [number, *row]


def _filed_row(org: Organization, people: People) -> list[Value]:
    person = people.of(org.org_id)
    return [org.name, org.filing_number, org.category, place_name(org.community),
            person.get("name"), person.get("phone"), person.get("id_number"),
            org.filed_on, status_word(org.status), org.uscc, org.upgraded_on,
            org.closed_on]  # fmt: skip


def _registered_row(org: Organization) -> list[Value]:
    return [org.name, org.uscc, form_word(org.legal_form), place_name(org.community),
            org.registered_on, status_word(org.status), org.closed_on]  # fmt: skip


def _upgraded_row(org: Organization) -> list[Value]:
    return [org.name, org.filing_number, org.uscc, form_word(org.legal_form),
            org.upgraded_on]  # fmt: skip


def _listed_row(org: Organization, people: People) -> list[Value]:
    person = people.of(org.org_id) if org.filing_number else {}
    return [org.name, status_word(org.status), form_word(org.legal_form), org.uscc,
            org.filing_number, org.category, place_name(org.home[:9]),
            place_name(org.community), org.filed_on, org.registered_on,
            org.upgraded_on, org.closed_on, person.get("name"),
            person.get("phone")]  # fmt: skip

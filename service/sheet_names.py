"""Names as clerks write them in registers, turned into what facts reference: an
organization by filing number, USCC or name (unique among the node's holdings), a
community by its Chinese name (within the node's subtree), a grade's scheme."""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING

from domain.codes import NodeCode, known_divisions
from domain.errors import InvalidGradeError, RuleError, UnknownOrganizationError
from domain.grades import schemes_of, shipped_schemes
from domain.messages import Text
from domain.text import fold_identifier

if TYPE_CHECKING:
    from collections.abc import Iterable

    from projections.models.registry import Organization

_UUID = re.compile(r"[0-9a-fA-F]{8}-?(?:[0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")
_NODE_FILING = re.compile(r"[0-9]{6,12}:.+")
_SPACES = re.compile(r"\s+")
_SUFFIXES = (
    "社区居民委员会",
    "居民委员会",
    "社区居委会",
    "居委会",
    "村民委员会",
    "村委会",
)
SHOWN = 5
"""Candidates listed in an error at most."""


class AmbiguousNameError(RuleError):
    """A name that several organizations (or communities) answer to."""

    code = "ambiguous-name"


class UnknownCommunityError(RuleError):
    """A community name no community of the node's subtree has."""

    code = "unknown-community"


def name_key(text: str) -> str:
    """A name as compared: NFKC, without spaces."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


class OrgNames:
    """The organizations a node holds (its own and its descendants'), and those an
    import files or registers before naming them, by filing number, USCC and name."""

    def __init__(self, node: NodeCode) -> None:
        self.node = node
        self.by_name: dict[str, dict[str, str]] = {}
        self.by_number: dict[str, dict[str, str]] = {}
        """Name or folded filing number / USCC → reference → how it is listed."""

    def hold(self, orgs: Iterable[Organization]) -> None:
        """Add the organizations of the node's registry."""
        for org in orgs:
            self.add(org.org_id, org.name, org.filing_number, org.uscc, org.home)

    def add(
        self,
        ref: str,
        name: str | None,
        filing_number: str | None = None,
        uscc: str | None = None,
        home: str | None = None,
    ) -> None:
        """Know one organization under ``ref`` (what a fact's ``org`` is given)."""
        codes = "，".join(c for c in (filing_number, uscc, home) if c)
        label = f"{name or ''}（{codes}）"
        for number in (filing_number, uscc):
            if number:
                self.by_number.setdefault(fold_identifier(number), {})[ref] = label
        if name:
            self.by_name.setdefault(name_key(name), {})[ref] = label

    def resolve(self, text: str, header: str) -> str:
        """The reference of the organization ``text`` names: an org_id or
        NODE:FILING_NUMBER as given, else the one organization with this filing
        number, USCC or name."""
        given = text.strip()
        if _UUID.fullmatch(given) or _NODE_FILING.fullmatch(given):
            return given
        found = self.by_number.get(
            fold_identifier(given).upper()
        ) or self.by_number.get(fold_identifier(given))
        found = found or self.by_name.get(name_key(given))
        if found and len(found) == 1:
            return next(iter(found))
        if found:
            raise AmbiguousNameError(
                Text(
                    "{header} {name} names {count} organizations at node {node}: "
                    "{candidates}; name it by its filing number or USCC",
                    header=header,
                    name=given,
                    count=len(found),
                    node=self.node.value,
                    candidates="；".join(sorted(found.values())[:SHOWN]),
                ),
                field="org",
            )
        raise self._unknown(given, header)

    def _unknown(self, given: str, header: str) -> UnknownOrganizationError:
        key = name_key(given)
        names = list(self.by_name)
        close = difflib.get_close_matches(key, names, n=SHOWN, cutoff=0.6)
        close += [n for n in names if key in n and n not in close]
        labels = [label for n in close[:SHOWN] for label in self.by_name[n].values()]
        if not labels:
            return UnknownOrganizationError(
                Text(
                    "{header} {name}: no organization of node {node} has this "
                    "filing number, USCC or name",
                    header=header,
                    name=given,
                    node=self.node.value,
                ),
                field="org",
            )
        return UnknownOrganizationError(
            Text(
                "{header} {name}: no organization of node {node} has this filing "
                "number, USCC or name; did you mean {candidates}?",
                header=header,
                name=given,
                node=self.node.value,
                candidates="；".join(labels[:SHOWN]),
            ),
            field="org",
        )


class CommunityNames:
    """The communities of a node's subtree, by name (shipped division data)."""

    def __init__(self, node: NodeCode) -> None:
        self.node = node
        self.known: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}
        for code, division in known_divisions().items():
            if len(code) == 12 and node.contains(division.code):
                for key in _community_keys(division.name):
                    self.by_name.setdefault(key, []).append(code)

    def resolve(self, text: str, header: str) -> str:
        """The 12-digit code of the community ``text`` names (a code as given)."""
        if text not in self.known:  # a register names a few communities many times
            self.known[text] = self._resolve(text, header)
        return self.known[text]

    def _resolve(self, text: str, header: str) -> str:
        given = text.strip()
        if given.isascii() and given.isdigit():
            return given
        codes = next(
            (self.by_name[k] for k in _community_keys(given) if k in self.by_name), []
        )
        if len(codes) == 1:
            return codes[0]
        if codes:
            raise AmbiguousNameError(
                Text(
                    "{header} {name} names {count} communities of node {node}: "
                    "{codes}; give the 12-digit code",
                    header=header,
                    name=given,
                    count=len(codes),
                    node=self.node.value,
                    codes="，".join(codes),
                ),
                field="community",
            )
        known = sorted({c for codes in self.by_name.values() for c in codes})
        shown = "，".join(
            f"{known_divisions()[c].name} {c}" for c in known[: SHOWN * 2]
        )
        raise UnknownCommunityError(
            Text(
                "{header} {name} is no community of node {node} that tierledger "
                "knows by name ({communities}): give its 12-digit code",
                header=header,
                name=given,
                node=self.node.value,
                communities=shown or "—",
            ),
            field="community",
        )


def _community_keys(name: str) -> list[str]:
    """A community's name, and its name without the committee's suffix with 社区 or
    村 instead: 朝阳村委会 is 朝阳村, 胜利路社区居委会 is 胜利路社区."""
    key = name_key(name)
    keys = [key]
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            stem = key.removesuffix(suffix)
            keys += [stem, stem + ("村" if "村" in suffix else "社区")]
            break
    else:
        keys.append(key.removesuffix("社区"))
    return list(dict.fromkeys(k for k in keys if k))


def grade_scheme(grade: str, scheme: str | None, header: str) -> tuple[str, str]:
    """A grade as written (4A级, AAAA, 一类, 三星级) and its scheme: the one given,
    else the one scheme the grade belongs to."""
    written = name_key(grade)
    forms = [_grade_form(written), _grade_form(written.removesuffix("级"))]
    if scheme is not None:
        found = next((f for f in forms if schemes_of(f)), forms[0])
        return found, scheme_key(scheme)
    for form in forms:
        schemes = schemes_of(form)
        if len(schemes) == 1:
            return form, schemes[0].key
    grades = "、".join(g for s in shipped_schemes().values() for g in s.grades)
    raise InvalidGradeError(
        Text(
            "{header} {grade} is not a grade tierledger knows ({grades}, or a "
            "scheme's not-passed result)",
            header=header,
            grade=grade,
            grades=grades,
        ),
        field="grade",
    )


def _grade_form(text: str) -> str:
    if text and text.upper().strip("A") == "" and len(text) <= 5:
        return f"{len(text)}A"  # AAAA: four As
    return text.upper() if text[:1].isdigit() else text


def scheme_key(text: str) -> str:
    """A grade scheme by its key or its label (as given when neither)."""
    given = name_key(text)
    for key, scheme in shipped_schemes().items():
        if given in (key, name_key(scheme.label)):
            return key
    return text.strip()

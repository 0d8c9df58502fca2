"""A search's filters as people type them: each checked, a wrong one named.

The same for the command line (``find``, ``view registry``) and the API
(``GET /organizations``): statuses and grades from their closed lists (English or
Chinese), a street's or community's code of the right length inside this node's
area, a legal form, a category and a period as the facts write them.
"""

from __future__ import annotations

from domain.codes import NodeCode
from domain.errors import (
    InvalidFieldError,
    InvalidGradeError,
    InvalidNodeCodeError,
    excerpt,
)
from domain.grades import shipped_schemes
from domain.messages import Text
from domain.state import DEREGISTERED, FILED, REGISTERED, REVOKED
from domain.text import parse_identifier, parse_text
from domain.values import LegalForm
from projections.search import Needle, RegistryFilter

STATUSES = {
    FILED: (FILED, "备案", "已备案"),
    REGISTERED: (REGISTERED, "登记", "已登记"),
    DEREGISTERED: (DEREGISTERED, "注销", "已注销"),
    REVOKED: (REVOKED, "撤销", "撤销登记", "已撤销"),
}
"""Each status and the words a clerk may use for it."""
TEXT_LIMIT = 100
"""The longest search text (longer than any name, filing number or USCC)."""


def registry_filter(
    node: NodeCode,
    *,
    text: str | None = None,
    status: str | None = None,
    legal_form: str | None = None,
    street: str | None = None,
    community: str | None = None,
    area: str | None = None,
    category: str | None = None,
    grade: str | None = None,
    period: str | None = None,
    text_field: str = "q",
) -> RegistryFilter:
    """The filter of a search at ``node`` (None: not asked; ``text_field``: what
    the reader calls the search text, for its errors)."""
    areas = (
        *((parse_area(street, "street", node),) if street is not None else ()),
        *((parse_area(community, "community", node),) if community is not None else ()),
        *((parse_prefix(area, node),) if area is not None else ()),
    )
    return RegistryFilter(
        status=None if status is None else parse_status(status),
        legal_form=None if legal_form is None else LegalForm.parse(legal_form).value,
        areas=areas,
        grade=None if grade is None else parse_grade(grade),
        text=None
        if text is None
        else Needle.of(parse_text(text, text_field, max_len=TEXT_LIMIT)),
        category=None if category is None else parse_text(category, "category"),
        period=None if period is None else parse_identifier(period, "period"),
    )


def parse_status(value: str) -> str:
    """A status, from its English key or a Chinese word for it."""
    given = value.strip()
    for status, words in STATUSES.items():
        if given.lower() in words or given in words:
            return status
    raise InvalidFieldError(
        Text(
            "status {status} is not one of {choices}",
            status=excerpt(given),
            choices="filed (备案), registered (登记), deregistered (注销), "
            "revoked (撤销登记)",
        ),
        field="status",
    )


def parse_grade(value: str) -> str:
    """A grade, or a not-passed result, of any grading scheme (``4a`` is 4A)."""
    given = value.strip()
    for scheme in shipped_schemes().values():
        if given in (*scheme.grades, scheme.not_passed):
            return given
        if given.upper() in scheme.grades:
            return given.upper()
    choices = "; ".join(
        "、".join((*s.grades, s.not_passed)) for s in shipped_schemes().values()
    )
    raise InvalidGradeError(
        Text(
            "grade {grade} is in no grading scheme ({choices})",
            grade=excerpt(given),
            choices=choices,
        ),
        field="grade",
    )


TIER_NAMES = {
    "city": Text("city"),
    "district": Text("district"),
    "street": Text("street"),
    "community": Text("community"),
}


def parse_area(value: str, tier: str, node: NodeCode) -> str:
    """A street's or a community's code (``tier``), inside this node's area."""
    try:
        code = NodeCode.parse(value)
    except InvalidNodeCodeError as error:
        raise InvalidNodeCodeError(error.text, field=tier) from None
    if code.tier != tier:
        raise InvalidNodeCodeError(
            Text(
                "{field} {code} is the code of a {found}, not of a {tier}",
                field=tier,
                tier=TIER_NAMES[tier],
                code=code.value,
                found=TIER_NAMES[code.tier],
            ),
            field=tier,
        )
    return _inside(code.value, tier, node)


def parse_prefix(value: str, node: NodeCode) -> str:
    """A division code prefix (6 to 12 digits), inside this node's area."""
    given = value.strip()
    if not (given.isascii() and given.isdigit() and 6 <= len(given) <= 12):
        raise InvalidNodeCodeError(
            Text(
                "area {area} must be a division code prefix of 6 to 12 digits",
                area=excerpt(given),
            ),
            field="area",
        )
    return _inside(given, "area", node)


def _inside(prefix: str, field: str, node: NodeCode) -> str:
    """``prefix``, if its area and this node's overlap (else nothing could match)."""
    if prefix.startswith(node.value) or node.value.startswith(prefix):
        return prefix
    raise InvalidFieldError(
        Text(
            "{field} {code} is outside the area of this node ({node})",
            field=field,
            code=prefix,
            node=node.value,
        ),
        field=field,
    )

"""Small value parsers shared by every fact: text, dates, counts, legal forms."""

from __future__ import annotations

import enum
import time
from datetime import UTC, date, datetime, timedelta, timezone

from domain.errors import InvalidDateError, InvalidFieldError, excerpt
from domain.messages import Text

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
ONE_DAY = timedelta(days=1)
EARLIEST = date(1950, 1, 1)


class LegalForm(enum.StrEnum):
    """Legal forms of registered (legal-person) social organizations."""

    SOCIAL_GROUP = "social_group"
    SOCIAL_SERVICE_INSTITUTION = "social_service_institution"
    FOUNDATION = "foundation"

    @property
    def label(self) -> str:
        """The Chinese name of the legal form."""
        return _FORM_LABELS[self]

    @classmethod
    def parse(cls, value: object, field: str = "legal_form") -> LegalForm:
        """Accept the English key or the Chinese name (民办非企业单位 too)."""
        if isinstance(value, str):
            key = value.strip()
            for form in cls:
                if key in (form.value, form.label) or key in _FORM_ALIASES.get(
                    form, ()
                ):
                    return form
        choices = ", ".join(f"{f.value} ({f.label})" for f in cls)
        raise InvalidFieldError(
            Text(
                "{field} {value} is not one of {choices}",
                field=field,
                value=repr(value),
                choices=choices,
            ),
            field=field,
        )


_FORM_LABELS = {
    LegalForm.SOCIAL_GROUP: "社会团体",
    LegalForm.SOCIAL_SERVICE_INSTITUTION: "社会服务机构",
    LegalForm.FOUNDATION: "基金会",
}
_FORM_ALIASES = {LegalForm.SOCIAL_SERVICE_INSTITUTION: ("民办非企业单位", "民非")}


def parse_count(
    value: object, field: str, *, minimum: int = 0, maximum: int = 10**7
) -> int:
    """A whole number within bounds (booleans and floats refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidFieldError(
            Text(
                "{field} must be a whole number, got {value}",
                field=field,
                value=excerpt(value),
            ),
            field=field,
        )
    if not minimum <= value <= maximum:
        raise InvalidFieldError(
            Text(
                "{field} {value} is outside {minimum}..{maximum}",
                field=field,
                value=excerpt(value),
                minimum=minimum,
                maximum=maximum,
            ),
            field=field,
        )
    return value


def today_in_china() -> date:
    """The business date in China, where every node keeps its books."""
    return datetime.now(CHINA).date()


_latest: tuple[float, date] = (0.0, date.min)
"""(epoch seconds until which it holds, the latest acceptable business date)."""


def latest_business_date() -> date:
    """Tomorrow in China: no business date may lie beyond it (clocks differ a little).

    Cached until China's next midnight: every imported line asks.
    """
    global _latest
    now = time.time()
    if now >= _latest[0]:
        tomorrow = datetime.fromtimestamp(now, CHINA).date() + ONE_DAY
        midnight = datetime.combine(tomorrow, datetime.min.time(), CHINA)
        _latest = (midnight.timestamp(), tomorrow)
    return _latest[1]


def parse_date(value: object, field: str, *, latest: date | None = None) -> str:
    """An ISO date (YYYY-MM-DD) that exists and is neither ancient nor in the future.

    The future begins after ``latest``: by default tomorrow in China (a clerk's input);
    a stored fact is judged by the day after it was recorded instead.
    """
    if not isinstance(value, str):
        raise InvalidDateError(
            Text(
                "{field} must be an ISO date string, got {value}",
                field=field,
                value=excerpt(value),
            ),
            field=field,
        )
    text = value.strip()
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise InvalidDateError(
            Text(
                "{field} {value} is not an ISO date (YYYY-MM-DD)",
                field=field,
                value=repr(value),
            ),
            field=field,
        )
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidDateError(
            Text("{field} {value} is not a real date", field=field, value=repr(value)),
            field=field,
        ) from None
    if day < EARLIEST:
        raise InvalidDateError(
            Text(
                "{field} {date} is before {earliest}",
                field=field,
                date=text,
                earliest=EARLIEST,
            ),
            field=field,
        )
    if day > (latest or latest_business_date()):
        raise InvalidDateError(
            Text("{field} {date} is in the future", field=field, date=text),
            field=field,
        )
    return day.isoformat()


def add_years(day: str, years: int) -> str:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    start = date.fromisoformat(day)
    try:
        return start.replace(year=start.year + years).isoformat()
    except ValueError:
        return start.replace(year=start.year + years, day=28).isoformat()


def utc_instant(moment: datetime) -> str:
    """An instant as fixed-width UTC ISO text: 2026-11-22T08:51:42.123456Z."""
    if moment.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    # isoformat is several times faster than strftime on this hot path; facts are
    # stamped in UTC already, so the conversion is usually skipped.
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")[:26] + "Z"

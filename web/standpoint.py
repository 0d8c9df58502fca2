"""Where every read page stands: a business date and a knowledge instant from the URL.

The pages take the API's ``as_of`` (a business date) and ``known_at`` (an instant:
what this node knew then), so a page's address says what it shows and can be shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from domain.errors import ChainBrokenError, LedgerError
from infrastructure.i18n import translator
from web.templating import page_locale

if TYPE_CHECKING:
    from fastapi import Request

    from domain.messages import Text
    from projections.view import Point
    from service.node import Node

FIELDS = ("as_of", "known_at")
LONGEST = 40
"""No date or instant is longer; a longer value is cut before it is read."""


@dataclass(frozen=True)
class Standpoint:
    """What a read page was asked to stand at, and the point it stands at."""

    as_of: str = ""
    known_at: str = ""
    point: Point | None = None
    errors: dict[str, str] = field(default_factory=dict)
    """A field's error in the page's language (the page shows it beside the field)."""
    unavailable: Text | None = None
    """Why the views cannot answer (a chain recorded broken), if they cannot."""

    def query(self, **more: str | int | None) -> str:
        """A query keeping this standpoint, with ``more`` (blanks left out)."""
        values = {"as_of": self.as_of, "known_at": self.known_at, **more}
        kept = {name: val for name, val in values.items() if val not in ("", None)}
        return urlencode(kept)

    @property
    def asked(self) -> bool:
        """Whether the address names a standpoint (else: today, as known now)."""
        return bool(self.as_of or self.known_at)


def standpoint(request: Request, node: Node) -> Standpoint:
    """The standpoint the request's address asks for; an error per bad field."""
    as_of, known_at = (
        request.query_params.get(name, "").strip()[:LONGEST] for name in FIELDS
    )
    try:
        point = node.point(as_of or None, known_at or None)
    except ChainBrokenError as broken:
        return Standpoint(as_of, known_at, unavailable=broken.text)
    except LedgerError as error:
        message = error.render(translator(page_locale(request)))
        name = error.field if error.field in FIELDS else "as_of"
        return Standpoint(as_of, known_at, errors={name: message})
    return Standpoint(as_of, known_at, point)

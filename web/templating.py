"""Jinja2 templates in the reader's language, rendered into HTML responses."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from domain.messages import Text
from infrastructure.i18n import (
    CHINESE,
    language_tag,
    locale_from_accept_language,
    translator,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import Request

TEMPLATES = Path(__file__).parent / "templates"
STATIC_PREFIX = "/web/static"


@functools.cache
def environment() -> Environment:
    """The templates' environment: HTML escaped, an undefined name an error."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page_locale(request: Request) -> str:
    """The page's language: Chinese, or English when the browser prefers it."""
    header = request.headers.get("accept-language")
    return locale_from_accept_language(header, default=CHINESE)


def gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    """The templates' ``_``: ``_("Signed in as {name}", name=…)`` in the page's
    language, values by name as in every ``Text``."""

    def _(template: str, /, **values: object) -> str:
        return Text(template, **values).render(translate)

    return _


def render(
    request: Request, template: str, status: int = 200, /, **context: Any
) -> HTMLResponse:
    """The template as a response in the request's language."""
    locale = page_locale(request)
    translate = translator(locale)
    html = (
        environment()
        .get_template(template)
        .render(
            _=gettext(translate),
            said=lambda text: text.render(translate),
            lang=language_tag(locale),
            static=STATIC_PREFIX,
            request=request,
            **context,
        )
    )
    return HTMLResponse(
        html, status_code=status, headers={"Content-Language": language_tag(locale)}
    )

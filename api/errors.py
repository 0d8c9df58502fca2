"""Errors as RFC 9457 problem+json, with the same stable codes the CLI prints."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.json_body import TOO_DEEP
from domain.errors import (
    BatchRejectedError,
    ChainBrokenError,
    ConcurrentWriteError,
    InputError,
    LedgerError,
    NodeNotFoundError,
    RuleError,
    SyncError,
    UnknownOrganizationError,
    UnreadableSnapshotError,
)
from domain.messages import Text
from infrastructure.i18n import language_tag, locale_from_accept_language, translator
from infrastructure.stores import DATA_ERRORS

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import FastAPI, Request

log = logging.getLogger("tierledger.api")
PROBLEM = "application/problem+json"
MAX_TEXT = 500
"""Characters of any text in a problem: input is quoted in excerpts, never whole."""
MAX_QUOTE = 200
"""Characters of a validation message, which may quote the input (a union's tag)."""
MAX_NAME = 40
"""Characters of one part of a field's path, which may be a key the client sent."""
UNPROCESSABLE: tuple[type[Exception], ...] = (
    RecursionError,
    OverflowError,
    UnicodeError,
    *DATA_ERRORS,
)
"""Errors only a value from outside raises (nested too deep, out of range, not text
a store can hold): refused as input where a check at the edge missed one."""


PHRASES = {
    "Not Found": Text("Not Found"),
    "Method Not Allowed": Text("Method Not Allowed"),
}
"""The details Starlette's routing gives (the status's phrase), translated."""
OWN_REASONS = {TOO_DEEP.render(): TOO_DEEP}
"""Reasons this node's JSON decoding gives (in English, as the decoder's own), by the
message each is."""


PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "examples": ["invalid-uscc"]},
        "field": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "object"}},
        "origin": {"type": "string", "description": "chain-broken: the origin"},
        "seq": {"type": "integer", "description": "chain-broken: its first bad seq"},
        "reason": {"type": "string", "description": "chain-broken: what is wrong"},
    },
}
"""RFC 9457 problem details with the stable ``code`` the CLI prints."""
PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": description,
        "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}},
    }
    for status, description in (
        (400, "Unreadable request (e.g. a body that is not UTF-8 JSON)"),
        (401, "No valid bearer token for this node"),
        (403, "The token's role may not do this"),
        (404, "No such organization or resource at this node"),
        (409, "A rule would be broken (nothing recorded), or a chain is broken"),
        (413, "Body above the node's limit"),
        (422, "Invalid input; `field` names what is wrong"),
    )
}
"""The error responses every route documents."""


def problem(
    status: int, code: str, title: str, detail: str, locale: str, **extra: object
) -> JSONResponse:
    """A problem+json response whose ``detail`` is in ``locale``'s language; every
    text in it short and encodable."""
    body = {
        "type": f"https://tierledger.example/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return JSONResponse(
        printable(body),
        status_code=status,
        media_type=PROBLEM,
        headers={"Content-Language": language_tag(locale)},
    )


def short(text: str, limit: int = MAX_TEXT) -> str:
    """At most ``limit`` characters of ``text``, lone surrogates escaped: a response
    that quotes input can always be encoded, and is never the size of the input."""
    if len(text) > limit:
        text = text[:limit] + "…"
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def printable(value: Any) -> Any:
    """``value`` (a problem body: our own dicts and lists) with every text ``short``."""
    if isinstance(value, str):
        return short(value)
    if isinstance(value, list):
        return [printable(item) for item in value]
    if isinstance(value, dict):
        return {short(str(k)): printable(v) for k, v in value.items()}
    return value


def where(request: Request) -> str:
    """The method and route of a request, for the log (never its raw path)."""
    route = getattr(request.scope.get("route"), "path", None)
    return f"{request.method} {route or short(repr(request.url.path), MAX_NAME)}"


def field_of(error: dict[str, Any]) -> str:
    """A validation error's location as a dotted path; each part an excerpt."""
    if error.get("type") == "json_invalid":
        return "body"  # its position is told in the message
    return ".".join(short(str(part), MAX_NAME) for part in error.get("loc", ()))


def message_of(error: dict[str, Any], translate: Callable[[str], str]) -> str:
    """A validation error's message, which may quote the input: an excerpt. Pydantic
    and the JSON decoder speak English; what this node adds is translated."""
    message = said(error.get("msg", Text("invalid")), translate)
    if error.get("type") == "json_invalid":
        at = error.get("loc", (0,))[-1]
        reason = str(error.get("ctx", {}).get("error", ""))
        reason = said(OWN_REASONS.get(reason, reason), translate)
        text = (
            Text("not JSON: {reason} (at character {at})", reason=reason, at=at)
            if at
            else Text("not JSON: {reason}", reason=reason)
        )
        message = text.render(translate)
    return short(message, MAX_QUOTE)


def language(request: Request) -> str:
    """The locale the request accepts: Chinese or English (the default)."""
    return locale_from_accept_language(request.headers.get("accept-language"))


def reader(request: Request) -> Callable[[str], str]:
    """The translator of the language the request accepts (English by default)."""
    return translator(language(request))


def said(detail: object, translate: Callable[[str], str]) -> str:
    """An error's detail in the reader's language."""
    return detail.render(translate) if isinstance(detail, Text) else str(detail)


def status_of(error: LedgerError) -> int:
    """The HTTP status of a domain error."""
    if isinstance(error, NodeNotFoundError | UnknownOrganizationError):
        return 404
    if isinstance(error, InputError | BatchRejectedError):
        return 422
    if isinstance(
        error,
        RuleError
        | SyncError
        | ConcurrentWriteError
        | ChainBrokenError
        | UnreadableSnapshotError,
    ):
        return 409
    return 400


def install(app: FastAPI) -> None:
    """Register handlers: domain errors, validation errors, HTTP errors, the rest."""

    @app.exception_handler(LedgerError)
    def ledger_error(request: Request, error: LedgerError) -> JSONResponse:
        locale = language(request)
        translate = translator(locale)
        extra: dict[str, object] = {"field": error.field} if error.field else {}
        if isinstance(error, BatchRejectedError):
            extra["problems"] = [
                {"index": n, "code": e.code, "detail": e.render(translate),
                 "field": e.field}
                for n, e in error.problems[:100]
            ]  # fmt: skip
        if isinstance(error, ChainBrokenError):
            extra.update(origin=error.origin, seq=error.seq, reason=error.reason)
        return problem(
            status_of(error),
            error.code,
            type(error).__name__,
            error.render(translate),
            locale,
            **extra,
        )

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        field, locale = field_of(first), language(request)
        translate = translator(locale)
        detail = Text(
            "{field}: {problem}", field=field, problem=message_of(first, translate)
        )
        return problem(
            422,
            "invalid-input",
            "Invalid input",
            detail.render(translate),
            locale,
            field=field,
        )

    def unprocessable(request: Request, error: Exception) -> JSONResponse:
        # A check at the edge missed this value: refuse it, and say where to fix.
        log.warning("%s refused on %s", type(error).__name__, where(request))
        locale = language(request)
        detail = Text(
            "the request holds a value this node cannot take: out of range, nested "
            "too deep, or text it cannot store"
        )
        return problem(
            422,
            "invalid-input",
            "Invalid input",
            detail.render(translator(locale)),
            locale,
        )

    for kind in UNPROCESSABLE:
        app.add_exception_handler(kind, unprocessable)

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {
            401: "unauthenticated",
            403: "forbidden",
            404: "not-found",
            405: "method-not-allowed",
            413: "payload-too-large",
        }.get(error.status_code, "http-error")
        locale = language(request)
        response = problem(
            error.status_code,
            code,
            code.replace("-", " ").capitalize(),
            said(PHRASES.get(error.detail, error.detail), translator(locale)),
            locale,
        )
        if error.status_code == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(Exception)
    def unexpected(request: Request, error: Exception) -> JSONResponse:
        # Never a stack trace to clients; the log keeps the type, not the payload.
        log.error("unexpected %s on %s", type(error).__name__, where(request))
        locale = language(request)
        detail = Text("the node could not complete the request; nothing was recorded")
        return problem(
            500,
            "internal-error",
            "Internal error",
            detail.render(translator(locale)),
            locale,
        )

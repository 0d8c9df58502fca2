"""Errors as RFC 9457 problem+json, with the same stable codes the CLI prints."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from domain.errors import (
    ConcurrentWriteError,
    InputError,
    LedgerError,
    NodeNotFoundError,
    RuleError,
    SyncError,
    UnknownOrganizationError,
)

if TYPE_CHECKING:
    from fastapi import FastAPI, Request

log = logging.getLogger("tierledger.api")
PROBLEM = "application/problem+json"


def problem(
    status: int, code: str, title: str, detail: str, **extra: object
) -> JSONResponse:
    """A problem+json response."""
    body = {
        "type": f"https://tierledger.example/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def status_of(error: LedgerError) -> int:
    """The HTTP status of a domain error."""
    if isinstance(error, NodeNotFoundError | UnknownOrganizationError):
        return 404
    if isinstance(error, InputError):
        return 422
    if isinstance(error, RuleError | SyncError | ConcurrentWriteError):
        return 409
    return 400


def install(app: FastAPI) -> None:
    """Register handlers: domain errors, validation errors, HTTP errors, the rest."""

    @app.exception_handler(LedgerError)
    def ledger_error(request: Request, error: LedgerError) -> JSONResponse:
        field = {"field": error.field} if error.field else {}
        return problem(
            status_of(error), error.code, type(error).__name__, error.message, **field
        )

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return problem(
            422,
            "invalid-input",
            "Invalid input",
            f"{where}: {first.get('msg', 'invalid')}",
            field=where,
        )

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {
            401: "unauthenticated",
            403: "forbidden",
            404: "not-found",
            405: "method-not-allowed",
            413: "payload-too-large",
        }.get(error.status_code, "http-error")
        response = problem(
            error.status_code,
            code,
            code.replace("-", " ").capitalize(),
            str(error.detail),
        )
        if error.status_code == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(Exception)
    def unexpected(request: Request, error: Exception) -> JSONResponse:
        # Never a stack trace to clients; the log keeps the type, not the payload.
        log.error(
            "unexpected %s on %s %s",
            type(error).__name__,
            request.method,
            request.url.path,
        )
        return problem(
            500,
            "internal-error",
            "Internal error",
            "the node could not complete the request; nothing was recorded",
        )

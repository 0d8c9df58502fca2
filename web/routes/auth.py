"""Signing in and out: named accounts, server-side sessions, CSRF on both forms.

The sign-in form has no session yet, so its CSRF token is a random value both in
a strict, short-lived cookie and in the form (double submit); a session's forms
send back the session's own token (``access.deps.check_csrf``).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from access.deps import (
    CSRF_FIELD,
    SESSION_COOKIE,
    AnyRoleDep,
    NodeDep,
    expiry,
    get_settings,
    lockout,
    signed_in,
)
from domain.messages import Text
from infrastructure.accounts import SignInRefusedError
from infrastructure.i18n import translator
from web.layout import page
from web.templating import page_locale

router = APIRouter()
SIGN_IN_COOKIE = "tl_sign_in"
SIGN_IN_PATH = "/web/login"
FormText = Annotated[str, Form()]


@router.get(SIGN_IN_PATH)
async def sign_in_form(
    request: Request, next: str = "/", signed_out: bool = False
) -> Response:
    """The sign-in form (or on to the page asked for, when signed in already)."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id and await signed_in(request, session_id):
        return RedirectResponse(local(next), status_code=303)
    notice = Text("You have signed out.") if signed_out else None
    return _form(request, next_page=next, notice=notice)


@router.post(SIGN_IN_PATH)
def sign_in(
    request: Request,
    node: NodeDep,
    name: FormText = "",
    password: FormText = "",
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
    next_page: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    """Check the account name and password; on success open a session."""
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf_token.encode(), expected.encode()):
        return _form(
            request, next_page=next_page, name=name, status=403,
            notice=Text("The form had expired; please sign in again."),
        )  # fmt: skip
    errors = _missing(name, password)
    if errors:
        return _form(request, next_page=next_page, name=name, errors=errors)
    settings = get_settings(request)
    try:
        account = node.accounts.sign_in(name, password, lockout(settings))
    except SignInRefusedError as refused:
        return _form(request, next_page=next_page, name=name,
                     errors={"password": refused.text})  # fmt: skip
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        node.sessions.end(old)  # a new id at every sign-in: none can be planted
    node.sessions.purge(expiry(settings))
    session_id = node.sessions.open(account.name, account.stamp)
    response = RedirectResponse(local(next_page), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session_id, max_age=settings.session_hours * 3600,
        path="/", httponly=True, samesite="lax", secure=settings.secure_cookies,
    )  # fmt: skip
    response.delete_cookie(SIGN_IN_COOKIE, path=SIGN_IN_PATH)
    return response


@router.post("/web/logout")
def sign_out(request: Request, node: NodeDep, _: AnyRoleDep) -> Response:
    """End this browser's session (its CSRF token checked by the principal)."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        node.sessions.end(session_id)
    response = RedirectResponse(f"{SIGN_IN_PATH}?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def local(target: str) -> str:
    """``target`` if it is a path on this site, else the home page: a sign-in
    never sends anyone to another site."""
    on_site = target.startswith("/") and not target.startswith("//")
    if on_site and target.isprintable() and not any(c in target for c in " \\"):
        return target
    return "/"


def _missing(name: str, password: str) -> dict[str, Text]:
    errors: dict[str, Text] = {}
    if not name.strip():
        errors["name"] = Text("Enter your account name")
    if not password:
        errors["password"] = Text("Enter your password")
    return errors


def _form(
    request: Request,
    *,
    next_page: str,
    name: str = "",
    errors: dict[str, Text] | None = None,
    notice: Text | None = None,
    status: int | None = None,
) -> Response:
    """The sign-in page, with a fresh CSRF token in its cookie and its form."""
    token = secrets.token_urlsafe(32)
    translate = translator(page_locale(request))
    response = page(
        request, "login.html", None,
        status=status or (422 if errors else 200),
        csrf=token, next=local(next_page), name=name[:64], notice=notice,
        errors={k: v.render(translate) for k, v in (errors or {}).items()},
    )  # fmt: skip
    secure = get_settings(request).secure_cookies
    response.set_cookie(
        SIGN_IN_COOKIE, token, max_age=3600, path=SIGN_IN_PATH,
        httponly=True, samesite="strict", secure=secure,
    )  # fmt: skip
    return response

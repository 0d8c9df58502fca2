"""FastAPI dependencies: the node, and the principal of a request with its role rules.

A request acts for a bearer token (``Authorization: Bearer …``) or for a person
signed in to the web interface (the session cookie). A session's unsafe requests
(POST and the like) must also send its CSRF token — in the form's hidden field or
an ``X-CSRF-Token`` header — so no other site can act in a clerk's name.

They are ``async def``: none waits on more than a small file (a stat of the tokens
and accounts, one indexed row of the sessions), and a synchronous dependency would
cost each request a trip to the thread pool (BENCHMARKS.md, group commit).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from access.principal import Principal
from domain.messages import Text
from infrastructure.accounts import Lockout
from infrastructure.sessions import Expiry
from infrastructure.settings import Settings
from infrastructure.tokens import TokenStore
from service.node import Node

bearer = HTTPBearer(auto_error=False)
SESSION_COOKIE = "tl_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def get_node(request: Request) -> Node:
    """The node service, opened once at start-up."""
    node = request.app.state.node
    assert isinstance(node, Node)
    return node


async def get_tokens(request: Request) -> TokenStore:
    """The node's token store."""
    tokens = request.app.state.tokens
    assert isinstance(tokens, TokenStore)
    return tokens


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


def expiry(settings: Settings) -> Expiry:
    """How long web sessions last, by the settings."""
    return Expiry(settings.session_idle_minutes * 60, settings.session_hours * 3600)


def lockout(settings: Settings) -> Lockout:
    """When wrong passwords lock an account, by the settings."""
    return Lockout(settings.lockout_failures, settings.lockout_minutes)


async def authenticated(
    request: Request,
    tokens: Annotated[TokenStore, Depends(get_tokens)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The request's principal; 401 without a valid bearer token or session."""
    if credentials is not None:
        entry = tokens.authenticate(credentials.credentials)
        if entry is None:
            raise HTTPException(
                401, Text("the bearer token is not valid for this node")
            )
        return Principal.of_token(entry)
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        raise HTTPException(401, Text("a bearer token is required"))
    found = await signed_in(request, session_id)
    if found is None:
        raise HTTPException(401, Text("the session has ended; sign in again"))
    if request.method not in SAFE_METHODS:
        await check_csrf(request, found)
    return found


async def signed_in(request: Request, session_id: str) -> Principal | None:
    """The person a session cookie belongs to, while the session and the account
    it opened under are live (a password change or disabling ends it)."""
    node = await get_node(request)
    session = node.sessions.find(session_id, expiry(get_settings(request)))
    if session is None:
        return None
    account = node.accounts.get(session.account)
    if account is None or account.disabled_at or account.stamp != session.stamp:
        node.sessions.end(session_id)
        return None
    return Principal.of_account(account, session.csrf)


async def check_csrf(request: Request, principal: Principal) -> None:
    """403 unless the request sends back the session's CSRF token."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORMS):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    expected = principal.csrf or ""
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        await request.close()  # an uploaded file read for the token is let go
        raise HTTPException(
            403,
            Text(
                "the form did not come from this node's own pages, or it is out of "
                "date: open the page again and send it from there"
            ),
        )


def role(*allowed: str) -> Any:
    """A dependency admitting only principals of the ``allowed`` roles (403 else)."""

    async def check(
        request: Request,
        principal: Annotated[Principal, Depends(authenticated)],
    ) -> Principal:
        if principal.role not in allowed:
            await request.close()  # an uploaded file read for the token is let go
            raise HTTPException(403, cannot_do_this(principal, allowed))
        return principal

    return Depends(check)


def cannot_do_this(principal: Principal, allowed: tuple[str, ...]) -> Text:
    """Why ``principal`` is refused where only ``allowed`` roles may act."""
    held, token = principal.role, principal.kind == "token"
    if len(allowed) == 1:
        if token:
            return Text(
                "a {role} token cannot do this ({allowed} only)",
                role=held,
                allowed=allowed[0],
            )
        return Text(
            "a {role} account cannot do this ({allowed} only)",
            role=held,
            allowed=allowed[0],
        )
    first, second = ", ".join(allowed[:-1]), allowed[-1]
    if token:
        return Text(
            "a {role} token cannot do this ({first} or {second} only)",
            role=held,
            first=first,
            second=second,
        )
    return Text(
        "a {role} account cannot do this ({first} or {second} only)",
        role=held,
        first=first,
        second=second,
    )


NodeDep = Annotated[Node, Depends(get_node)]
AnyRoleDep = Annotated[Principal, Depends(authenticated)]
ClerkDep = Annotated[Principal, role("clerk")]
ReaderDep = Annotated[Principal, role("clerk", "auditor")]
AuditorDep = Annotated[Principal, role("auditor")]

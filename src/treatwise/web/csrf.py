"""CSRF protection for HTML forms that change state: a signed double-submit token.

A form includes ``{{ csrf_field() }}``; rendering it sets the ``tw_csrf``
cookie (HttpOnly, SameSite=Lax) holding the same token. The POST handler
depends on :func:`verify_csrf`, which requires the form field and the cookie
to be equal and signed with ``settings.secret_key``. JSON endpoints under
``/api/v1`` use no cookies and are not protected; the RFC 8058 one-click
unsubscribe POST is exempt because its own token is the proof.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import escape
from starlette.responses import Response

COOKIE = "tw_csrf"
FIELD = "csrf_token"
_SALT = "treatwise.csrf"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=_SALT)


def is_valid(secret_key: str, token: str | None) -> bool:
    """True when ``token`` was signed with this key."""
    if not token:
        return False
    try:
        _serializer(secret_key).loads(token)
    except BadSignature:
        return False
    return True


def new_token(secret_key: str) -> str:
    """A fresh signed token."""
    return str(_serializer(secret_key).dumps(secrets.token_urlsafe(16)))


class LazyToken:
    """The visitor's token, made (or reused from the cookie) only when a form asks for it."""

    def __init__(self, request: Request) -> None:
        self._request = request
        self._value: str | None = None

    @property
    def used(self) -> bool:
        return self._value is not None

    @property
    def value(self) -> str:
        if self._value is None:
            key = self._request.app.state.settings.secret_key
            existing = self._request.cookies.get(COOKIE)
            self._value = existing if existing and is_valid(key, existing) else new_token(key)
        return self._value


def field_html(token: str) -> str:
    """The hidden input every state-changing form carries."""
    return f'<input type="hidden" name="{FIELD}" value="{escape(token)}">'


def set_cookie(response: Response, token: LazyToken, *, secure: bool) -> None:
    """Send the token cookie along with the form."""
    response.set_cookie(COOKIE, token.value, httponly=True, samesite="lax", secure=secure, path="/")


async def verify_csrf(request: Request) -> None:
    """FastAPI dependency for form POSTs: 403 unless form token == cookie token, validly signed."""
    form = await request.form()
    sent = form.get(FIELD)
    cookie = request.cookies.get(COOKIE)
    key = request.app.state.settings.secret_key
    if (
        not isinstance(sent, str)
        or cookie is None
        or not hmac.compare_digest(sent, cookie)
        or not is_valid(key, sent)
    ):
        raise HTTPException(
            status_code=403,
            detail="This form has expired or was sent from another site. "
            "Reload the page and try again.",
        )

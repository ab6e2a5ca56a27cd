"""What handlers share: dependency aliases (``KB`` and ``SettingsDep`` read from
``app.state``), the newsletter context and sign-up limiter, and common response headers."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.background import BackgroundTask

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.newsletter import subscriptions
from treatwise.newsletter.context import SETTINGS, Newsletter, newsletter_from
from treatwise.newsletter.ratelimit import RateLimiter
from treatwise.newsletter.subscriptions import SignUp, Visit
from treatwise.store.migrate import is_current
from treatwise.web.client import client_address
from treatwise.web.csrf import verify_csrf

log = logging.getLogger("treatwise.web")

NO_STORE = {"Cache-Control": "no-store"}
"""Headers for answers that hold the person's own data or depend on the day: never cached."""


def get_kb(request: Request) -> KnowledgeBase:
    """The knowledge base loaded at start (read-only)."""
    kb: KnowledgeBase = request.app.state.kb
    return kb


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_newsletter(request: Request) -> Newsletter:
    """The app's newsletter context, built from the settings on first use."""
    state = request.app.state
    if getattr(state, "newsletter", None) is None:
        s = state.settings
        if not is_current(s.database_url):
            raise HTTPException(503, "The newsletter is not set up yet. Please try again later.")
        state.newsletter = newsletter_from(state.kb, **s.model_dump(include=SETTINGS))
    nl: Newsletter = state.newsletter
    return nl


def get_limiter(request: Request) -> RateLimiter:
    """The per-IP sign-up limiter (memory, or Redis when ``redis_url`` is set)."""
    state = request.app.state
    if getattr(state, "signup_limiter", None) is None:
        state.signup_limiter = RateLimiter(state.settings.redis_url)
    limiter: RateLimiter = state.signup_limiter
    return limiter


def record_later(request: Request, sign_up: SignUp, where: Visit) -> BackgroundTask:
    """Record a validated sign-up after the response has gone (see ``check_sign_up``).

    Whether the address was new, pending or active changes the database work, never
    the response or its timing. A failure is logged without the address.
    """
    nl = get_newsletter(request)

    def record() -> None:
        try:
            subscriptions.record_sign_up(nl, sign_up, visit=where)
        except Exception as error:  # the visitor has their answer; the operator needs a line
            log.error("a sign-up could not be recorded: %s", type(error).__name__)

    return BackgroundTask(record)


def visit(request: Request, source: str | None = None) -> Visit:
    """Where the request came from, for the consent ledger."""
    where = source if source and source.startswith("/") else request.url.path
    return Visit(source=where[:200], ip_address=client_address(request))


KB = Annotated[KnowledgeBase, Depends(get_kb)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CsrfChecked = Depends(verify_csrf)
"""Use as ``dependencies=[CsrfChecked]`` on every state-changing HTML form POST."""

__all__ = [
    "KB",
    "NO_STORE",
    "CsrfChecked",
    "SettingsDep",
    "get_kb",
    "get_limiter",
    "get_newsletter",
    "get_settings",
    "record_later",
    "verify_csrf",
    "visit",
]

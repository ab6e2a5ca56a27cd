"""``/newsletter``: sign-up with double opt-in, confirmation, unsubscribe and preferences.

Handlers parse, call one ``treatwise.newsletter`` function and render. Every
answer to a sign-up is the same whether the address was known or not. Pages that
show a token's holder are ``no-store``. The one-click unsubscribe POST (RFC 8058)
and the confirmation POST carry their own signed token, so they need no CSRF token.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from treatwise.newsletter import preferences, subscriptions
from treatwise.newsletter.errors import InvalidInput, InvalidToken
from treatwise.newsletter.subscriptions import CONSENT_TEXT
from treatwise.web.dependencies import (
    NO_STORE,
    CsrfChecked,
    get_limiter,
    get_newsletter,
    record_later,
    visit,
)
from treatwise.web.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger("treatwise.web")


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    nl = get_newsletter(request)
    full = {"interests": nl.interests, "consent_text": CONSENT_TEXT, **context}
    response = render(request, f"newsletter/{name}.html", full, status_code=status)
    response.headers.update(NO_STORE)
    return response


def _bad_link(request: Request, error: InvalidToken) -> HTMLResponse:
    return _page(request, "link", 400, reason=error.reason)


def _form_values(form: Any) -> tuple[str, list[str], str | None]:
    email = form.get("email")
    interests = [str(v) for v in form.getlist("interests")]
    source = form.get("source")
    return (
        (email if isinstance(email, str) else ""),
        interests,
        (source if isinstance(source, str) else None),
    )


@router.get("/newsletter", response_class=HTMLResponse)
async def signup_form(
    request: Request, email: str = "", from_page: Annotated[str, Query(alias="from")] = ""
) -> HTMLResponse:
    """The sign-up form (an address typed on another page comes prefilled)."""
    source = visit(request, from_page).source  # the page whose box was used, for the ledger
    return _page(request, "signup", email=email[:254], chosen=[], error=None, source=source)


@router.post("/newsletter/start", response_class=HTMLResponse)
async def signup_start(request: Request) -> HTMLResponse:
    """The sign-up form, prefilled from a box on a content page (POSTed: no address in URLs).

    It changes nothing (the consent and the CSRF token are on the form it
    answers with), so it needs no token of its own.
    """
    form = await request.form()
    email, source = form.get("email"), form.get("from")
    source = visit(request, source if isinstance(source, str) else None).source
    typed = email[:254] if isinstance(email, str) else ""
    return _page(request, "signup", email=typed, chosen=[], error=None, source=source)


@router.post("/newsletter", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def signup(request: Request) -> HTMLResponse:
    """Start a subscription; the answer is the same for new and known addresses."""
    email, interests, source = _form_values(await request.form())
    where = visit(request, source).source
    if not get_limiter(request).allow(visit(request).ip_address):
        return _page(
            request,
            "signup",
            429,
            email=email,
            chosen=interests,
            error=None,
            busy=True,
            source=where,
        )
    try:
        nl = get_newsletter(request)
        sign_up = subscriptions.check_sign_up(nl, email=email, interests=interests)
    except InvalidInput as error:
        return _page(
            request, "signup", 422, email=email[:254], chosen=interests, error=error, source=where
        )
    response = _page(request, "pending")
    response.background = record_later(request, sign_up, visit(request, source))
    return response


@router.get("/newsletter/confirm", response_class=HTMLResponse)
async def confirm_page(request: Request, token: str = "") -> HTMLResponse:
    """A button that confirms (a GET changes nothing, so link scanners cannot confirm)."""
    try:
        subscriptions.check_link(get_newsletter(request), purpose="confirm", token=token)
    except InvalidToken as error:
        return _bad_link(request, error)
    return _page(request, "confirm", token=token, outcome=None)


@router.post("/newsletter/confirm", response_class=HTMLResponse)
async def confirm(request: Request, token: str = "") -> HTMLResponse:
    """Confirm the subscription named by the token (repeating it is harmless)."""
    try:
        done = await run_in_threadpool(
            subscriptions.confirm, get_newsletter(request), token=token, visit=visit(request)
        )
    except InvalidToken as error:
        return _bad_link(request, error)
    return _page(request, "confirm", token=token, outcome=done.outcome, manage_url=done.manage_url)


@router.get("/newsletter/unsubscribe", response_class=HTMLResponse)
async def unsubscribe_page(request: Request, token: str = "") -> HTMLResponse:
    """Ask before unsubscribing (mail scanners follow GET links)."""
    nl = get_newsletter(request)
    try:
        subscriptions.check_link(nl, purpose="unsubscribe", token=token)
    except InvalidToken as error:
        return _bad_link(request, error)
    return _page(request, "unsubscribe", token=token, done=False)


@router.post("/newsletter/unsubscribe", response_class=HTMLResponse)
async def unsubscribe(request: Request, token: str = "") -> HTMLResponse:
    """RFC 8058 one-click unsubscribe (also the page's button): idempotent, no login."""
    try:
        await run_in_threadpool(
            subscriptions.unsubscribe, get_newsletter(request), token=token, visit=visit(request)
        )
    except InvalidToken as error:
        return _bad_link(request, error)
    return _page(request, "unsubscribe", token=token, done=True)


@router.get("/newsletter/preferences", response_class=HTMLResponse)
async def preferences_page(request: Request, token: str = "") -> HTMLResponse:
    """Topics and unsubscribing for a manage link's holder, and a way to ask for a data link."""
    try:
        prefs = await run_in_threadpool(preferences.show, get_newsletter(request), token=token)
    except InvalidToken as error:
        return _bad_link(request, error)
    return _page(request, "preferences", token=token, prefs=prefs, error=None, saved=False)


@router.post(
    "/newsletter/preferences/data-link", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
async def ask_for_data_link(request: Request) -> HTMLResponse:
    """Email the holder a one-hour link to download or delete their data."""
    token = str((await request.form()).get("token") or "")
    nl = get_newsletter(request)
    try:
        await run_in_threadpool(preferences.send_data_link, nl, token=token)
        prefs = await run_in_threadpool(preferences.show, nl, token=token)
    except InvalidToken as error:
        return _bad_link(request, error)
    return _page(
        request, "preferences", token=token, prefs=prefs, error=None, saved=False, link_sent=True
    )


@router.get("/newsletter/data", response_class=HTMLResponse)
async def data_page(request: Request, token: str = "") -> HTMLResponse:
    """Download or delete everything, for the holder of a (one-hour) data link."""
    try:
        prefs = await run_in_threadpool(
            preferences.show, get_newsletter(request), token=token, purpose="data"
        )
    except InvalidToken as error:
        return _bad_link(request, error)
    return _page(request, "data", token=token, prefs=prefs, error=None)


@router.post("/newsletter/preferences", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def save_preferences(request: Request) -> HTMLResponse:
    """Replace the holder's interests."""
    form = await request.form()
    token = str(form.get("token") or "")
    interests: list[object] = list(form.getlist("interests"))
    nl = get_newsletter(request)
    try:
        prefs = await run_in_threadpool(
            preferences.update, nl, token=token, interests=interests, visit=visit(request)
        )
    except InvalidToken as error:
        return _bad_link(request, error)
    except InvalidInput as error:
        prefs = await run_in_threadpool(preferences.show, nl, token=token)
        return _page(
            request, "preferences", 422, token=token, prefs=prefs, error=error, saved=False
        )
    return _page(request, "preferences", token=token, prefs=prefs, error=None, saved=True)


@router.post("/newsletter/preferences/export", dependencies=[CsrfChecked])
async def export(request: Request) -> Response:
    """Everything stored about a data link's holder, as a JSON download."""
    token = str((await request.form()).get("token") or "")
    try:
        data = await run_in_threadpool(preferences.export, get_newsletter(request), token=token)
    except InvalidToken as error:
        return _bad_link(request, error)
    headers = {**NO_STORE, "Content-Disposition": 'attachment; filename="treatwise-data.json"'}
    return Response(json.dumps(data, indent=2), media_type="application/json", headers=headers)


@router.post(
    "/newsletter/preferences/forget", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
async def forget(request: Request) -> HTMLResponse:
    """Delete everything about a data link's holder (only a hash remains: never mailed again)."""
    form = await request.form()
    token = str(form.get("token") or "")
    nl = get_newsletter(request)
    try:
        if form.get("confirm") != "yes":
            prefs = await run_in_threadpool(preferences.show, nl, token=token, purpose="data")
            error = InvalidInput("confirm", "tick the box to confirm that everything should go")
            return _page(request, "data", 422, token=token, prefs=prefs, error=error)
        await run_in_threadpool(preferences.forget, nl, token=token)
    except InvalidToken as error:
        return _bad_link(request, error)
    return _page(request, "forgotten")

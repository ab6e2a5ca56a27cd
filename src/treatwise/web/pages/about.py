"""The trust pages: ``/about``, ``/about/editorial-policy``, ``/privacy`` and ``/contact``.

Their words live in the templates; the figures they state (how long a
confirmation link lasts, how long unconfirmed sign-ups are kept, the contact
address) come from the code and the settings, so the pages cannot drift from
what the site does.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from treatwise.newsletter.retention import DEFAULT_PENDING_DAYS, shortest_pending_days
from treatwise.newsletter.subscriptions import CONSENT_TEXT
from treatwise.web.dependencies import KB
from treatwise.web.templating import render

router = APIRouter(include_in_schema=False)

PAGES: dict[str, tuple[str, str]] = {
    "/about": ("about/about.html", "About Treatwise"),
    "/about/editorial-policy": ("about/editorial_policy.html", "Editorial policy"),
    "/privacy": ("about/privacy.html", "Privacy"),
    "/contact": ("about/contact.html", "Contact"),
}
"""Path → (template, title): the footer links to each of them."""


def _page(request: Request, path: str, **context: Any) -> HTMLResponse:
    template, title = PAGES[path]
    full = {
        "title": title,
        "contact_email": request.app.state.settings.contact_email,
        **context,
    }
    return render(request, template, full, cache=True)


@router.get("/about", response_class=HTMLResponse)
async def about(request: Request, kb: KB) -> HTMLResponse:
    """Who makes Treatwise, for whom, and what it is not."""
    return _page(request, "/about", treatments=len(kb.treatments), references=len(kb.references))


@router.get("/about/editorial-policy", response_class=HTMLResponse)
async def editorial_policy(request: Request, kb: KB) -> HTMLResponse:
    """How content is sourced, graded, reviewed and corrected; funding and conflicts."""
    reviewers = sorted({t.review.reviewer for t in kb.treatments.values()})
    return _page(request, "/about/editorial-policy", reviewers=reviewers)


@router.get("/privacy", response_class=HTMLResponse)
async def privacy(request: Request) -> HTMLResponse:
    """What the newsletter stores, for how long, and how to use your rights."""
    return _page(
        request,
        "/privacy",
        consent_text=CONSENT_TEXT,
        confirm_days=shortest_pending_days(),
        pending_days=DEFAULT_PENDING_DAYS,
    )


@router.get("/contact", response_class=HTMLResponse)
async def contact(request: Request) -> HTMLResponse:
    """How to reach the editors (the address comes from ``TREATWISE_CONTACT_EMAIL``)."""
    return _page(request, "/contact")

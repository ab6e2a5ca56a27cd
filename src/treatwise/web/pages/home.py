"""``/``: what Treatwise is, and microneedling or mesotherapy in brief.

The short answer is the opening of the plain-language article
``microneedling-or-mesotherapy``, quoted and linked (one text, kept in one place).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from treatwise.render.article_page import body_html, opening, reading_minutes
from treatwise.render.html_footnotes import Footnotes
from treatwise.web.dependencies import KB
from treatwise.web.templating import render

router = APIRouter(include_in_schema=False)

HEADLINE_PAIR = ("microneedling", "mesotherapy")
SHORT_ANSWER = "microneedling-or-mesotherapy"
"""The plain-language article whose opening is the home page's short answer."""


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, kb: KB) -> HTMLResponse:
    """The home page (the same for everyone, so it is cached)."""
    pair = [kb.treatments[t] for t in HEADLINE_PAIR if t in kb.treatments]
    rows = [
        (concern, [t.evidence_for(concern.id) for t in pair])
        for concern in kb.concerns.values()
        if any(t.evidence_for(concern.id) != "not_indicated" for t in pair)
    ]
    notes = Footnotes(kb.references)
    article = kb.articles.get(SHORT_ANSWER)
    context = {
        "pair": pair,
        "rows": rows,
        "notes": notes,
        "answer": article,
        "answer_html": body_html(opening(article), notes) if article else "",
        "answer_minutes": reading_minutes(article) if article else 0,
    }
    return render(request, "home/index.html", context, cache=True)

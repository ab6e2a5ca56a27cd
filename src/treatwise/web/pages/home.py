"""``/``: what Treatwise is, and microneedling or mesotherapy in brief."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from treatwise.render.html_footnotes import Footnotes
from treatwise.web.dependencies import KB
from treatwise.web.templating import render

router = APIRouter(include_in_schema=False)

HEADLINE_PAIR = ("microneedling", "mesotherapy")


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, kb: KB) -> HTMLResponse:
    """The home page (the same for everyone, so it is cached)."""
    pair = [kb.treatments[t] for t in HEADLINE_PAIR if t in kb.treatments]
    rows = [
        (concern, [t.evidence_for(concern.id) for t in pair])
        for concern in kb.concerns.values()
        if any(t.evidence_for(concern.id) != "not_indicated" for t in pair)
    ]
    context = {"pair": pair, "rows": rows, "notes": Footnotes(kb.references)}
    return render(request, "home/index.html", context, cache=True)

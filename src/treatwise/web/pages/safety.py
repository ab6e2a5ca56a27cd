"""``/safety``: who should not have each treatment (the safety matrix, for clinicians)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from treatwise.domain.safety import build_matrix
from treatwise.render.html_footnotes import Footnotes
from treatwise.render.safety import (
    SETTING_WORDS,
    STATUS_LABELS,
    STATUS_MEANINGS,
    cell_label,
)
from treatwise.web.dependencies import KB
from treatwise.web.templating import render

router = APIRouter(include_in_schema=False)

TITLE = "Who should not have each treatment"
DESCRIPTION = (
    "For every treatment and every health condition the decision aid asks about: whether you "
    "can have it, must wait, need a doctor first or should not have it, why, and the sources."
)


@router.get("/safety", response_class=HTMLResponse)
async def safety_page(request: Request, kb: KB) -> HTMLResponse:
    """The safety matrix: an overview table, then one section per treatment with reasons."""
    matrix = build_matrix(kb)
    context = {
        "matrix": matrix,
        "notes": Footnotes(kb.references),
        "labels": STATUS_LABELS,
        "meanings": STATUS_MEANINGS,
        "setting_words": SETTING_WORDS,
        "cell_label": cell_label,
        "title": TITLE,
        "description": DESCRIPTION,
    }
    return render(request, "safety/page.html", context, cache=True)

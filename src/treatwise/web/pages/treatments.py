"""``/treatments`` and ``/treatments/{id}``: a summary box first, every other field folded."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from treatwise.domain.compare import compare_with
from treatwise.knowledge.vocabulary import NOT_A_USE
from treatwise.knowledge.words import CATEGORY_LABELS
from treatwise.render import html_jsonld
from treatwise.render.diagram import skin_diagram
from treatwise.render.html_footnotes import Footnotes
from treatwise.web.dependencies import KB
from treatwise.web.templating import canonical_url, render

router = APIRouter(include_in_schema=False)

SHORTLIST = 5
"""At most this many conditions are named in the summary box (the full list is folded)."""


@router.get("/treatments", response_class=HTMLResponse)
async def treatment_index(request: Request, kb: KB) -> HTMLResponse:
    """Every treatment, grouped by kind."""
    groups = {
        label: sorted(
            (t for t in kb.treatments.values() if t.category == cat), key=lambda t: t.name
        )
        for cat, label in CATEGORY_LABELS.items()
    }
    context = {"groups": {k: v for k, v in groups.items() if v}, "notes": Footnotes(kb.references)}
    return render(request, "treatments/index.html", context, cache=True)


@router.get("/treatments/{treatment_id}", response_class=HTMLResponse)
async def treatment_page(request: Request, treatment_id: str, kb: KB) -> HTMLResponse:
    """A summary box (what it is, what it helps and how sure, downtime, sessions, cost, who
    should not have it), the diagram, then the detail folded: harms as detailed as benefits."""
    treatment = kb.treatments.get(treatment_id)
    if treatment is None:
        raise HTTPException(404, f"No treatment {treatment_id!r}.")
    url = canonical_url(request)
    jsonld = html_jsonld.page(
        url=url,
        name=treatment.name,
        description=treatment.summary.text,
        about=[html_jsonld.procedure(kb, treatment, url)],
        last_reviewed=treatment.review.last_reviewed.isoformat(),
    )
    context = {
        "t": treatment,
        "notes": Footnotes(kb.references),
        "jsonld": jsonld,
        "others": compare_with(kb, treatment),
        "uses": [i for i in treatment.indications if i.evidence not in NOT_A_USE],
        "ruled_out": [r for r in treatment.restrictions if r.level == "absolute"],
        "shortlist": SHORTLIST,
        "diagram": skin_diagram([treatment], key=treatment.id),
    }
    return render(request, "treatments/detail.html", context, cache=True)

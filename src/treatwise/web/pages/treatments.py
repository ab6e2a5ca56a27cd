"""``/treatments`` and ``/treatments/{id}``: every knowledge-base field, with numbered sources."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from treatwise.render import html_jsonld
from treatwise.render.html_footnotes import Footnotes
from treatwise.web.dependencies import KB
from treatwise.web.templating import canonical_url, render

router = APIRouter(include_in_schema=False)

CATEGORY_LABELS = {
    "procedure": "Procedures",
    "injectable": "Injections",
    "device": "Devices",
    "topical": "Creams and solutions",
    "medicine": "Medicines",
}
LEVEL_LABELS = {
    "absolute": "Do not have it",
    "temporary": "Wait",
    "doctor_review": "Doctor must assess first",
    "caution": "Possible with precautions",
}


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
    """One treatment in full: benefits and harms in the same detail, sources, review."""
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
        "level_labels": LEVEL_LABELS,
        "others": [o for o in sorted(kb.treatments) if o != treatment.id],
    }
    return render(request, "treatments/detail.html", context, cache=True)

"""``/decide``: the decision aid as a stepped form, its result page, and the PDF handout.

The form has three short steps that work without JavaScript (see
``web/intake_form.py``): each POST carries every answer given so far in hidden
fields, and the button's ``go`` says which step comes next, or ``result``.
"Change my answers" posts the answers back to the first step, filled in.

Nothing is stored or logged: the answers live only in this request and in the
page (hidden fields) that posts them again; they never go into a URL. Responses
carry ``Cache-Control: no-store`` (the empty first step is the same for
everyone, so it is cached). The POSTs change no state, so they need no CSRF token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from treatwise.domain.decide import Assessment, Intake, assess
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.vocabulary import SUPPORTED
from treatwise.render import pdf
from treatwise.render.assessment import (
    picks,
    unsure_headline,
)
from treatwise.render.html_footnotes import Footnotes
from treatwise.web.dependencies import KB, NO_STORE
from treatwise.web.intake_form import (
    MATTERS,
    STEP_FIELDS,
    STEP_TITLES,
    STEPS,
    SURE_QUESTIONS,
    IntakeForm,
    parse_form,
    validate,
    validate_about,
)
from treatwise.web.pdf_gate import PdfGate
from treatwise.web.templating import STATIC_DIR, render, render_fragment

router = APIRouter(include_in_schema=False)


def _context(
    kb: KnowledgeBase,
    form: IntakeForm | None,
    result: Assessment | None,
    *,
    step: str = "about",
    intake: Intake | None = None,
) -> dict[str, Any]:
    return {
        "form": form,
        "result": result,
        "intake": intake,
        "step": step,
        "steps": STEPS,
        "step_titles": STEP_TITLES,
        "step_fields": STEP_FIELDS,
        "notes": Footnotes(kb.references),
        "matters": MATTERS,
        "sure_questions": SURE_QUESTIONS,
        "picks": picks(kb, result) if result is not None else [],
        "unsure_headline": unsure_headline,
        "top_options": _top_options,
        "supported": SUPPORTED,
    }


def _top_options(result: Assessment, concern: str, n: int = 3) -> list[Any]:
    """The best options for one concern: the pick first, then by rank (open and supported)."""
    pick = result.best_by_concern.get(concern)
    rows = [
        o
        for o in result.options
        if o.status in ("suitable", "caution", "doctor_review")
        and any(c.concern == concern and c.evidence in SUPPORTED for c in o.concerns)
    ]
    rows.sort(key=lambda o: (o.treatment != pick, o.rank))
    return rows[:n]


def _page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    response = render(request, template, context, status)
    response.headers.update(NO_STORE)
    return response


def _step(
    request: Request, kb: KnowledgeBase, form: IntakeForm, step: str, status: int = 200
) -> HTMLResponse:
    """One step of the form, filled with the answers so far (422 when it shows errors)."""
    return _page(request, "decide/form.html", _context(kb, form, None, step=step), status)


@router.get("/decide", response_class=HTMLResponse)
async def decide_form(request: Request, kb: KB) -> HTMLResponse:
    """The first step, empty (the same for everyone, so it is cached)."""
    return render(request, "decide/form.html", _context(kb, None, None), cache=True)


@router.post("/decide", response_class=HTMLResponse)
async def decide_post(request: Request, kb: KB) -> HTMLResponse:
    """The next step of the form, or the result page, or a step again with its errors (422)."""
    form = parse_form(await request.form(), kb)
    if form.go == "about":
        return _step(request, kb, form, "about")
    if form.go in ("health", "preferences"):
        if not validate_about(kb, form):
            return _step(request, kb, form, "about", 422)
        return _step(request, kb, form, form.go)
    intake = validate(kb, form)
    if intake is None:
        return _step(request, kb, form, form.step_of_first_error(), 422)
    context = _context(kb, form, assess(kb, intake), intake=intake)
    return _page(request, "decide/result.html", context)


@router.post("/decide.pdf", response_class=Response, dependencies=[PdfGate])
async def decide_pdf(request: Request, kb: KB) -> Response:
    """The one-page A4 handout (WeasyPrint), made from the same posted answers."""
    form = parse_form(await request.form(), kb)
    intake = validate(kb, form)
    if intake is None:
        return _step(request, kb, form, form.step_of_first_error(), 422)
    base_url = str(request.app.state.settings.base_url).rstrip("/")
    html = handout_html(kb, form, intake, today=dt.date.today(), base_url=base_url)
    css = (STATIC_DIR / "css" / "decide-handout.css").read_text(encoding="utf-8")
    body = await run_in_threadpool(pdf.html_to_pdf, html, css=css)
    headers = {**NO_STORE, "Content-Disposition": 'attachment; filename="treatwise-summary.pdf"'}
    return Response(body, media_type="application/pdf", headers=headers)


def handout_html(
    kb: KnowledgeBase, form: IntakeForm, intake: Intake, *, today: dt.date, base_url: str
) -> str:
    """The handout's HTML (the PDF's source; the bench times both steps)."""
    context = {
        **_context(kb, form, assess(kb, intake), intake=intake),
        "kb": kb,
        "today": today,
        "base_url": base_url,
    }
    return render_fragment("decide/handout.html", context)

"""``/decide``: the decision aid as a form, its result page, and the PDF handout.

Nothing is stored or logged: the answers live only in this request and in the
page (hidden fields) that posts them again for the PDF. Responses carry
``Cache-Control: no-store``. The POSTs change no state, so they need no CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from treatwise.domain.decide import Assessment, Intake, assess
from treatwise.knowledge import KnowledgeBase
from treatwise.render import pdf
from treatwise.render.html_footnotes import Footnotes
from treatwise.web.dependencies import KB
from treatwise.web.intake_form import MATTERS, SURE_QUESTIONS, IntakeForm, parse_form, validate
from treatwise.web.pdf_gate import PdfGate
from treatwise.web.templating import STATIC_DIR, render, render_fragment

router = APIRouter(include_in_schema=False)

STATUS_LABELS = {
    "suitable": "Suitable",
    "caution": "Possible with precautions",
    "doctor_review": "Doctor must assess first",
    "wait": "Wait: not now",
    "not_suitable": "Not suitable for you",
}
NO_STORE = {"Cache-Control": "no-store"}


def _context(
    kb: KnowledgeBase, form: IntakeForm | None, result: Assessment | None
) -> dict[str, Any]:
    return {
        "form": form,
        "result": result,
        "notes": Footnotes(kb.references),
        "matters": MATTERS,
        "sure_questions": SURE_QUESTIONS,
        "status_labels": STATUS_LABELS,
    }


async def _posted(request: Request, kb: KnowledgeBase) -> tuple[IntakeForm, Intake | None]:
    """The posted form, and its intake when valid (None: the form has field errors)."""
    form = parse_form(await request.form(), kb.conditions)
    return form, validate(kb, form)


def _form_again(request: Request, kb: KnowledgeBase, form: IntakeForm) -> HTMLResponse:
    """The form with its field errors (422); answers are health data, so never cached."""
    response = render(request, "decide/form.html", _context(kb, form, None), 422)
    response.headers.update(NO_STORE)
    return response


@router.get("/decide", response_class=HTMLResponse)
async def decide_form(request: Request, kb: KB) -> HTMLResponse:
    """The empty form (the same for everyone, so it is cached)."""
    return render(request, "decide/form.html", _context(kb, None, None), cache=True)


@router.post("/decide", response_class=HTMLResponse)
async def decide_result(request: Request, kb: KB) -> HTMLResponse:
    """The result page, or the form again with field errors (422)."""
    form, intake = await _posted(request, kb)
    if intake is None:
        return _form_again(request, kb, form)
    response = render(request, "decide/result.html", _context(kb, form, assess(kb, intake)))
    response.headers.update(NO_STORE)
    return response


@router.post("/decide.pdf", response_class=Response, dependencies=[PdfGate])
async def decide_pdf(request: Request, kb: KB) -> Response:
    """The handout as PDF (WeasyPrint), made from the same posted form."""
    form, intake = await _posted(request, kb)
    if intake is None:
        return _form_again(request, kb, form)
    context = {**_context(kb, form, assess(kb, intake)), "kb": kb}
    html = render_fragment("decide/handout.html", context)
    css = (STATIC_DIR / "css" / "handout.css").read_text(encoding="utf-8")
    body = await run_in_threadpool(pdf.html_to_pdf, html, css=css)
    headers = {**NO_STORE, "Content-Disposition": 'attachment; filename="treatwise-summary.pdf"'}
    return Response(body, media_type="application/pdf", headers=headers)

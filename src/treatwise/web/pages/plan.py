"""``/plan/{treatment}``: the plan page with its form, the PDF handout and the calendar file.

The form is a GET (it changes nothing, so no CSRF token) with ``start``,
``sessions`` and ``interval_weeks``; ``.pdf`` and ``.ics`` take the same query.
Today is decided here, at the edge: it is the default start, and a start before
it is a field error (422, the form again). Responses carry ``no-store``: the
page depends on the day, and the dates are the person's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from treatwise.domain import plan as plans
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Treatment
from treatwise.render import pdf
from treatwise.render import plan as words
from treatwise.render.html_footnotes import Footnotes
from treatwise.render.ics import plan_ics
from treatwise.web.dependencies import KB, NO_STORE
from treatwise.web.pdf_gate import PdfGate
from treatwise.web.templating import STATIC_DIR, render, render_fragment

router = APIRouter(include_in_schema=False)

FIELDS = ("start", "sessions", "interval_weeks")
WORDS = {
    name: getattr(words, name)
    for name in (
        "format_date",
        "format_period",
        "day_label",
        "course_summary",
        "cost_summary",
        "milestone_label",
        "review_label",
        "money",
        "calendar_rows",
    )
}


@dataclass
class PlanForm:
    """What was asked for (to fill the form again) and the problems, one per field."""

    values: dict[str, str]
    errors: list[plans.PlanFieldError] = field(default_factory=list)

    def error_for(self, name: str) -> str | None:
        """The message for a form field, with the allowed values."""
        for error in self.errors:
            if error.field == name:
                valid = ""
                if len(error.valid) == 1:
                    valid = f" Choose {error.valid[0]}."
                elif error.valid:
                    valid = f" Choose one of: {', '.join(error.valid)}."
                return f"{error.message[:1].upper()}{error.message[1:]}.{valid}"
        return None


def build(
    kb: KnowledgeBase, item: Treatment, query: Mapping[str, str], today: dt.date
) -> tuple[PlanForm, plans.Plan | None]:
    """The form and the plan (None when a field is wrong) for a query string."""
    form = PlanForm({name: query.get(name, "").strip() for name in FIELDS})
    asked = {name: value for name, value in form.values.items() if value}
    try:
        return form, plans.parse_plan(kb, {"treatment": item.id, **asked}, today=today, text=True)
    except plans.PlanError as exc:
        form.errors += exc.errors
        return form, None


def _treatment(kb: KnowledgeBase, treatment_id: str) -> Treatment:
    item = kb.treatments.get(treatment_id)
    if item is None:
        raise HTTPException(404, f"No treatment {treatment_id!r}.")
    return item


def _context(
    kb: KnowledgeBase, item: Treatment, form: PlanForm, result: plans.Plan | None, today: dt.date
) -> dict[str, Any]:
    return {
        **WORDS,
        "t": item,
        "form": form,
        "plan": result,
        "notes": Footnotes(kb.references),
        "counts": plans.allowed_counts(item),
        "intervals": plans.allowed_intervals(item),
        "query": "" if result is None else urlencode(_query(result)),
        "chosen": _query(result) if result is not None else _chosen(item, form, today),
        "kb": kb,
    }


def _query(result: plans.Plan) -> dict[str, str]:
    count = result.months if result.kind == "daily" else len(result.sessions)
    query = {"start": result.start.isoformat(), "sessions": str(count)}
    if result.interval_weeks is not None:
        query["interval_weeks"] = f"{result.interval_weeks:g}"
    return query


def _chosen(item: Treatment, form: PlanForm, today: dt.date) -> dict[str, str]:
    """What the form shows again after an error: what was entered, else the defaults."""
    start = form.values["start"] or today.isoformat()
    try:
        plans.parse_date(start)
    except plans.PlanError:
        start = ""  # a date input can only hold a valid date
    interval = plans.default_interval(item)
    return {
        "start": start,
        "sessions": form.values["sessions"] or str(plans.default_count(item)),
        "interval_weeks": form.values["interval_weeks"]
        or ("" if interval is None else f"{interval:g}"),
    }


def _asked(
    request: Request, kb: KnowledgeBase, treatment_id: str
) -> tuple[Treatment, PlanForm, plans.Plan | None, dt.date]:
    """The treatment (404 if unknown), the form, its plan (None on a field error) and today."""
    item = _treatment(kb, treatment_id)
    today = dt.date.today()
    form, result = build(kb, item, request.query_params, today)
    return item, form, result, today


def _page(
    request: Request,
    kb: KnowledgeBase,
    item: Treatment,
    form: PlanForm,
    result: plans.Plan | None,
    today: dt.date,
) -> HTMLResponse:
    """The page: the plan, or the form again with its field errors (422)."""
    context = _context(kb, item, form, result, today)
    response = render(request, "plan/page.html", context, 422 if form.errors else 200)
    response.headers.update(NO_STORE)
    return response


def _download(body: bytes, *, name: str, media_type: str) -> Response:
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media_type, headers=headers)


@router.get("/plan/{treatment_id}.ics", response_class=Response)
async def plan_calendar(request: Request, treatment_id: str, kb: KB) -> Response:
    """The plan as an iCalendar file: sessions with reminders, aftercare, reviews."""
    item, form, result, today = _asked(request, kb, treatment_id)
    if result is None:
        return _page(request, kb, item, form, result, today)
    body = plan_ics(result, dtstamp=dt.datetime.now(dt.UTC))
    name = f"treatwise-{item.id}-plan.ics"
    return _download(body, name=name, media_type="text/calendar; charset=utf-8")


@router.get("/plan/{treatment_id}.pdf", response_class=Response, dependencies=[PdfGate])
async def plan_pdf(request: Request, treatment_id: str, kb: KB) -> Response:
    """The printable handout as PDF (WeasyPrint)."""
    item, form, result, today = _asked(request, kb, treatment_id)
    if result is None:
        return _page(request, kb, item, form, result, today)
    html = render_fragment("plan/handout.html", _context(kb, item, form, result, today))
    css = "\n".join(
        (STATIC_DIR / "css" / name).read_text(encoding="utf-8")
        for name in ("handout.css", "plan-handout.css")
    )
    body = await run_in_threadpool(pdf.html_to_pdf, html, css=css)
    return _download(body, name=f"treatwise-{item.id}-plan.pdf", media_type="application/pdf")


@router.get("/plan/{treatment_id}", response_class=HTMLResponse)
async def plan_page(request: Request, treatment_id: str, kb: KB) -> HTMLResponse:
    """The form and the plan (defaults: today, the typical protocol), or field errors (422)."""
    return _page(request, kb, *_asked(request, kb, treatment_id))

"""``/compare``: a picker, ``/compare?a=&b=`` redirecting, and ``/compare/{a}-vs-{b}``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from treatwise.domain.articles import shared_concerns
from treatwise.domain.compare import compare, picker_errors, popular_pairs
from treatwise.domain.compare.glance import glance
from treatwise.knowledge import KnowledgeBase
from treatwise.render import html_jsonld
from treatwise.render.diagram import skin_diagram
from treatwise.render.html_footnotes import Footnotes
from treatwise.web.dependencies import KB
from treatwise.web.templating import canonical_url, render

router = APIRouter(include_in_schema=False)

DEFAULT_PAIR = ("microneedling", "mesotherapy")
POPULAR_SHOWN = 8
"""Comparisons listed open on the picker page; the rest are folded."""


def default_pick(kb: KnowledgeBase) -> dict[str, str]:
    """What the picker shows first: the headline pair, else the first pair sharing a concern,
    never one treatment against itself."""
    if all(t in kb.treatments for t in DEFAULT_PAIR):
        return dict(zip(("a", "b"), DEFAULT_PAIR, strict=True))
    popular = popular_pairs(kb)
    if popular:
        return {"a": popular[0][0].id, "b": popular[0][1].id}
    ids = sorted(kb.treatments)
    return {"a": ids[0], "b": ids[1]} if len(ids) > 1 else {}


def _picker(request: Request, kb: KnowledgeBase, **context: Any) -> HTMLResponse:
    status = 422 if context.get("picker_errors") else 200
    full = {
        "picked": default_pick(kb),
        "picker_errors": {},
        "popular": popular_pairs(kb),
        "shown": POPULAR_SHOWN,
        **context,
    }
    return render(request, "compare/picker.html", full, status, cache=status == 200)


@router.get("/compare", response_class=HTMLResponse)
async def compare_picker(
    request: Request, kb: KB, a: str | None = None, b: str | None = None
) -> Response:
    """The picker; with ``a`` and ``b`` it redirects to the comparison page."""
    if a is None and b is None:
        return _picker(request, kb)
    errors = picker_errors(kb, a or "", b or "")
    if errors:
        return _picker(request, kb, picked={"a": a, "b": b}, picker_errors=errors)
    return RedirectResponse(f"/compare/{a}-vs-{b}", status_code=302)


def split_pair(kb: KnowledgeBase, pair: str) -> tuple[str, str]:
    """``microneedling-vs-mesotherapy`` → the two ids; 404 when either is unknown."""
    a, sep, b = pair.partition("-vs-")
    if not sep or picker_errors(kb, a, b):
        raise HTTPException(404, f"No comparison {pair!r}.")
    return a, b


@router.get("/compare/{pair}", response_class=HTMLResponse)
async def comparison_page(request: Request, pair: str, kb: KB) -> HTMLResponse:
    """The quick answer, six points at a glance and the depth diagram first; then the
    differences, every row and the sources, folded."""
    a, b = split_pair(kb, pair)
    comparison = compare(kb, a, b)
    url = canonical_url(request)
    jsonld = html_jsonld.page(
        url=url,
        name=f"{comparison.a.name} vs {comparison.b.name}",
        description=f"{comparison.a.name} and {comparison.b.name} compared, with sources.",
        about=[html_jsonld.procedure(kb, t, url) for t in (comparison.a, comparison.b)],
        last_reviewed=min(
            comparison.a.review.last_reviewed, comparison.b.review.last_reviewed
        ).isoformat(),
    )
    context = {
        "c": comparison,
        "glance": glance(kb, comparison),
        "diagram": skin_diagram([comparison.a, comparison.b], key="pair"),
        "ruled_out": {
            side: [r for r in comparison.treatment(side).restrictions if r.level == "absolute"]
            for side in ("a", "b")
        },
        "has_article": bool(shared_concerns(kb, a, b)),
        "notes": Footnotes(kb.references),
        "jsonld": jsonld,
    }
    return render(request, "compare/page.html", context, cache=True)

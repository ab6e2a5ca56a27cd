"""Jinja2 templates for every page: ``render(request, "concept/page.html", context)``.

Every template sees ``kb``, ``settings``, ``canonical_url``, ``csrf_field()``,
``static_url()``, ``has_page()`` and ``request`` besides its own context. A page rendered with
``cache=True`` is kept in memory by :mod:`treatwise.web.caching` (per
knowledge-base version) unless it used ``csrf_field()``: a page holding a
per-visitor token is never shared.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Match
from starlette.types import ASGIApp

from treatwise.domain.compare.wording import number as wording_number
from treatwise.knowledge.words import CLINIC_NOTE, WORDS, evidence_label
from treatwise.render import bibliography
from treatwise.render.pair_guide import key_sources
from treatwise.web import csrf
from treatwise.web.caching import CACHEABLE_HEADER

WEB_DIR = Path(str(resources.files("treatwise.web")))
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"


@cache
def static_url(path: str) -> str:
    """URL of a file under ``static/`` with a content hash, so it can be cached for a year."""
    digest = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
    return f"/static/{path}?v={digest}"


def _build_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals["static_url"] = static_url
    env.globals["key_sources"] = key_sources
    env.globals.update(WORDS)
    env.filters["evidence_label"] = evidence_label
    env.filters["number"] = number
    env.filters["citation_runs"] = citation_runs
    env.filters["ref_authors"] = bibliography.authors
    env.filters["source_detail"] = bibliography.source_detail
    env.filters["study_label"] = bibliography.study_label
    env.globals["clinic_note"] = CLINIC_NOTE
    return env


def number(value: float | int | None) -> str:
    """A figure as people write it: 3.0 → "3", 2.5 → "2.5", 2000 → "2,000"."""
    if value is None:
        return ""
    return wording_number(float(value))


def citation_runs(notes: list[Any]) -> list[list[Any]]:
    """Footnotes by number, grouped into runs of consecutive numbers (``[1–4, 7]``): a run of
    three or more prints as its ends, so a cell citing many sources stays short."""
    runs: list[list[Any]] = []
    for note in sorted(notes, key=lambda n: n.number):
        if runs and runs[-1][-1].number == note.number - 1:
            runs[-1].append(note)
        else:
            runs.append([note])
    return [r if len(r) < 3 else [r[0], r[-1]] for r in runs]


ENVIRONMENT = _build_environment()


def canonical_url(request: Request) -> str:
    """The public URL of this page (``settings.base_url`` + path), without the query."""
    base = str(request.app.state.settings.base_url).rstrip("/")
    return base + request.url.path


def has_page(app: ASGIApp, path: str) -> bool:
    """True when the app answers ``GET path`` (so a footer links only to pages that exist)."""
    known: dict[str, bool] = app.state.__dict__.setdefault("_has_page", {})  # type: ignore[attr-defined]
    if path not in known:
        scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
        known[path] = any(
            route.matches(scope)[0] is Match.FULL
            for route in app.router.routes  # type: ignore[attr-defined]
        )
    return known[path]


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
    *,
    cache: bool = False,
) -> HTMLResponse:
    """Render a page; ``cache=True`` lets the page cache keep it (only if request-independent)."""
    token = csrf.LazyToken(request)
    full: dict[str, Any] = {
        "request": request,
        "kb": request.app.state.kb,
        "settings": request.app.state.settings,
        "canonical_url": canonical_url(request),
        "csrf_field": lambda: Markup(csrf.field_html(token.value)),
        "has_page": lambda path: has_page(request.app, path),
        **(context or {}),
    }
    html = ENVIRONMENT.get_template(template).render(full)
    response = HTMLResponse(html, status_code=status_code)
    if token.used:
        csrf.set_cookie(response, token, secure=str(full["settings"].base_url).startswith("https"))
        response.headers["Cache-Control"] = "no-store"
    elif cache and status_code == 200:
        response.headers[CACHEABLE_HEADER] = "1"
    return response


def render_fragment(template: str, context: Mapping[str, Any]) -> str:
    """Render a template outside a request (PDF handouts, static export)."""
    return ENVIRONMENT.get_template(template).render(context)

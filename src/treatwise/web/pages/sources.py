"""``/sources``, ``/sources.bib`` and ``/sources.ris``: the whole bibliography.

The page lists every reference grouped by kind and quality, with its
identifier links and the pages that cite it; the two files carry the same
references for reference managers (one entry per reference).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from treatwise.knowledge.sources import clinic_only_statements, label_source
from treatwise.render import bibliography
from treatwise.web.caching import CACHEABLE_HEADER
from treatwise.web.dependencies import KB
from treatwise.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/sources", response_class=HTMLResponse)
async def sources_page(request: Request, kb: KB) -> HTMLResponse:
    """Every reference, grouped by kind and quality, with the pages that cite it."""
    refs = list(kb.references.values())
    journal = [r for r in refs if r.journal_type]
    context = {
        "groups": bibliography.groups(refs),
        "cited_on": bibliography.citing_pages(kb),
        "bib": bibliography,
        "total": len(refs),
        "journal_total": len(journal),
        "journal_confirmed": sum(1 for r in journal if bibliography.confirmed_identifier(r)),
        "label_total": sum(1 for r in refs if r.study_type == "regulatory"),
        "label_read": sum(1 for r in refs if r.study_type == "regulatory" and label_source(r)),
        "clinic_only": len(clinic_only_statements(kb)),
    }
    return render(request, "sources/index.html", context, cache=True)


def _download(body: str, media_type: str, filename: str) -> Response:
    response = Response(body, media_type=media_type)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers[CACHEABLE_HEADER] = "1"
    return response


@router.get("/sources.bib")
async def sources_bibtex(kb: KB) -> Response:
    """The bibliography as BibTeX, one entry per reference."""
    body = bibliography.bibtex(kb.references.values())
    return _download(body, "application/x-bibtex; charset=utf-8", "treatwise-sources.bib")


@router.get("/sources.ris")
async def sources_ris(kb: KB) -> Response:
    """The bibliography as RIS, one record per reference."""
    body = bibliography.ris(kb.references.values())
    return _download(
        body, "application/x-research-info-systems; charset=utf-8", "treatwise-sources.ris"
    )

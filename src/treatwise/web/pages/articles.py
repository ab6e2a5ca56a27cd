"""``/articles`` (filters by tag and kind), ``/articles/{slug}`` and ``/search?q=``.

``/articles/{slug}`` serves a hand-written article from the knowledge base or,
for ``{a}-vs-{b}``, the generated comparison article of that pair (either
order; the canonical link names the order of docs/design.md). Filters also exist as
paths (``/articles/tag/{tag}``, ``/articles/kind/{kind}``) so the static
export can carry them; an unknown tag or kind answers 422 naming the valid
values.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from treatwise.domain import articles as index
from treatwise.domain.search import MAX_QUERY_CHARS, Hit, search
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.articles import Article
from treatwise.render.article_page import body_html, jsonld, reading_minutes
from treatwise.render.html_footnotes import Footnotes
from treatwise.render.pair_guide import guide_info, render_guide
from treatwise.web.dependencies import KB
from treatwise.web.templating import canonical_url, render

router = APIRouter(include_in_schema=False)

KIND_SINGULAR = {"article": "Article", "tip": "Tip", "news": "News"}


def base_url(request: Request) -> str:
    return str(request.app.state.settings.base_url).rstrip("/")


def _listing(
    request: Request, kb: KnowledgeBase, *, tag: str | None, kind: str | None
) -> HTMLResponse:
    pool = list(kb.articles.values())
    context: dict[str, Any] = {
        "tags": index.all_tags(pool),
        "kinds": index.kinds_in_use(pool),
        "kind_singular": KIND_SINGULAR,
        "tag": tag,
        "kind": kind,
        "comparisons": [(p, _pair_title(kb, p)) for p in index.pairs(kb)],
    }
    try:
        context["articles"] = index.select(pool, tag=tag, kind=kind)
    except index.ArticleFilterError as exc:
        context |= {"articles": [], "error": exc}
        return render(request, "articles/index.html", context, 422)
    return render(request, "articles/index.html", context, cache=True)


def _pair_title(kb: KnowledgeBase, pair: index.Pair) -> str:
    return f"{kb.treatments[pair.a].name} vs {kb.treatments[pair.b].name}"


@router.get("/articles", response_class=HTMLResponse)
async def article_list(
    request: Request, kb: KB, tag: str | None = None, kind: str | None = None
) -> HTMLResponse:
    """Every article, tip and news item, newest first; ``?tag=`` and ``?kind=`` filter."""
    return _listing(request, kb, tag=tag or None, kind=kind or None)


@router.get("/articles/tag/{tag}", response_class=HTMLResponse)
async def articles_by_tag(request: Request, tag: str, kb: KB) -> HTMLResponse:
    """Articles with one tag."""
    return _listing(request, kb, tag=tag, kind=None)


@router.get("/articles/kind/{kind}", response_class=HTMLResponse)
async def articles_by_kind(request: Request, kind: str, kb: KB) -> HTMLResponse:
    """Only articles, only tips, or only news."""
    return _listing(request, kb, tag=None, kind=kind)


@router.get("/articles/{slug}", response_class=HTMLResponse)
async def article_page(request: Request, slug: str, kb: KB) -> HTMLResponse:
    """A hand-written article, or the generated comparison of a pair of treatments."""
    article = kb.articles.get(slug)
    if article is not None:
        return render(
            request, "articles/detail.html", _article_context(request, kb, article), cache=True
        )
    pair = index.pair_for(kb, slug)
    if pair is None:
        raise HTTPException(404, f"No article {slug!r}.")
    return render(
        request, "articles/comparison.html", _comparison_context(request, kb, pair), cache=True
    )


def _article_context(request: Request, kb: KnowledgeBase, article: Article) -> dict[str, Any]:
    notes = Footnotes(kb.references)
    body = body_html(article, notes)
    url = canonical_url(request)
    return {
        "article": article,
        "body": body,
        "notes": notes,
        "minutes": reading_minutes(article),
        "kind_singular": KIND_SINGULAR,
        "treatments": [kb.treatments[t] for t in article.treatments if t in kb.treatments],
        "concerns": [kb.concerns[c] for c in article.concerns if c in kb.concerns],
        "comparisons": [(p, _pair_title(kb, p)) for p in index.pairs_with(kb, article.treatments)],
        "related": index.related(kb.articles.values(), article),
        "jsonld": jsonld(kb, article, url=url, base_url=base_url(request)),
    }


def _comparison_context(request: Request, kb: KnowledgeBase, pair: index.Pair) -> dict[str, Any]:
    main = index.canonical(kb, pair)
    info = guide_info(kb, pair.a, pair.b)
    url = f"{base_url(request)}/articles/{main.slug}"
    about = [kb.treatments[pair.a], kb.treatments[pair.b]]
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": info.title,
        "description": info.summary,
        "dateModified": info.updated.isoformat(),
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "about": [{"@type": "MedicalProcedure", "name": t.name} for t in about],
    }
    return {
        "info": info,
        "pair": pair,
        "treatments": about,
        # Safe HTML: markdown-it with raw HTML disabled, every data value escaped first.
        "body": Markup(render_guide(kb, pair.a, pair.b, fmt="html", standalone=False)),
        "canonical_url": url,
        "jsonld": data,
    }


@router.get("/search", response_class=HTMLResponse)
async def search_page(request: Request, kb: KB, q: str = "") -> HTMLResponse:
    """Treatments and articles matching ``q`` (typos in treatment names are forgiven)."""
    query = q.strip()[:MAX_QUERY_CHARS]
    hits = search(kb, query) if query else []
    context = {"q": query, "hits": [(hit, _hit_url(hit)) for hit in hits], "labels": KIND_SINGULAR}
    return render(request, "articles/search.html", context, cache=not query)


def _hit_url(hit: Hit) -> str:
    prefix = "/treatments/" if hit.document.kind == "treatment" else "/articles/"
    return prefix + hit.document.key

"""``/feed.xml`` (Atom), ``/sitemap.xml`` and ``/robots.txt``.

The sitemap lists every page the app serves to everyone: each GET page route
without parameters, and each parameterised page route expanded from the
knowledge base (treatments, comparison pairs, articles, tags, kinds, plans).
Routes that need a token, a query or a POST are left out. All three are the
same for every visitor, so the page cache keeps them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.routing import BaseRoute, Route

from treatwise.domain import articles as index
from treatwise.knowledge import KnowledgeBase
from treatwise.render.feed import atom
from treatwise.render.sitemap import Entry, robots_txt, sitemap_xml
from treatwise.web.caching import CACHEABLE_HEADER
from treatwise.web.dependencies import KB

router = APIRouter(include_in_schema=False)

NOT_PAGES = frozenset({"/healthz", "/openapi.json", "/feed.xml", "/sitemap.xml", "/robots.txt"})
NOT_PAGE_PREFIXES = ("/api/", "/static", "/newsletter/", "/search")
DISALLOW = ("/api/", "/search", "/newsletter/", "/decide.pdf")


def _expanders(kb: KnowledgeBase) -> dict[str, Callable[[], Iterator[Entry]]]:
    """Parameterised page routes and the pages each one has."""
    reviewed = {t.id: t.review.last_reviewed for t in kb.treatments.values()}

    def treatments() -> Iterator[Entry]:
        for tid in index.treatment_order(kb):
            yield Entry(f"/treatments/{tid}", reviewed[tid])

    def plans() -> Iterator[Entry]:
        yield from (Entry(f"/plan/{tid}") for tid in index.treatment_order(kb))

    def compare() -> Iterator[Entry]:
        for p in index.pairs(kb):
            yield Entry(f"/compare/{p.slug}", max(reviewed[p.a], reviewed[p.b]))

    def articles() -> Iterator[Entry]:
        for a in index.newest_first(kb.articles.values()):
            yield Entry(f"/articles/{a.slug}", a.updated)
        for p in index.pairs(kb):
            yield Entry(f"/articles/{p.slug}", max(reviewed[p.a], reviewed[p.b]))

    def tags() -> Iterator[Entry]:
        yield from (Entry(f"/articles/tag/{t}") for t, _ in index.all_tags(kb.articles.values()))

    def kinds() -> Iterator[Entry]:
        yield from (Entry(f"/articles/kind/{k}") for k in index.kinds_in_use(kb.articles.values()))

    return {
        "/treatments/{treatment_id}": treatments,
        "/plan/{treatment_id}": plans,
        "/compare/{pair}": compare,
        "/articles/{slug}": articles,
        "/articles/tag/{tag}": tags,
        "/articles/kind/{kind}": kinds,
    }


def get_paths(routes: list[BaseRoute], prefix: str = "") -> Iterator[str]:
    """Path templates of every GET route, including those of included routers."""
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's lazily included router
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from get_paths(included.routes, prefix + getattr(context, "prefix", ""))
        elif isinstance(route, Route) and "GET" in (route.methods or ()):
            yield prefix + route.path


def site_entries(routes: list[BaseRoute], kb: KnowledgeBase) -> list[Entry]:
    """Every public page of the app, in route order."""
    expanders = _expanders(kb)
    out: list[Entry] = []
    for path in get_paths(routes):
        if path in NOT_PAGES or path.startswith(NOT_PAGE_PREFIXES):
            continue
        if "{" not in path:
            out.append(Entry(path))
        elif path in expanders:
            out += expanders[path]()
    return out


def _cached(body: bytes | str, media_type: str) -> Response:
    response = Response(body, media_type=media_type)
    response.headers[CACHEABLE_HEADER] = "1"
    return response


def _base(request: Request) -> str:
    return str(request.app.state.settings.base_url).rstrip("/")


@router.get("/feed.xml")
async def feed(request: Request, kb: KB) -> Response:
    """Atom feed of every article, tip and news item, newest first."""
    document = atom(kb, kb.articles.values(), base_url=_base(request))
    return _cached(document, "application/atom+xml; charset=utf-8")


@router.get("/sitemap.xml")
async def sitemap(request: Request, kb: KB) -> Response:
    """Every public page, with last-modified dates where the data has them."""
    entries = site_entries(request.app.routes, kb)
    return _cached(sitemap_xml(entries, base_url=_base(request)), "application/xml")


@router.get("/robots.txt")
async def robots(request: Request) -> Response:
    """Crawlers welcome, except the API, search results and token pages."""
    return _cached(robots_txt(base_url=_base(request), disallow=DISALLOW), "text/plain")

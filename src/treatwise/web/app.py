"""The application factory. Routers live one module per concept under ``pages/`` and ``api/``.

To add a concept: write ``pages/<concept>.py`` or ``api/<concept>.py`` exposing
``router = APIRouter()`` and add one ``app.include_router(...)`` line below
(API routers with ``prefix=API``).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from treatwise import __version__
from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase, load
from treatwise.web import errors
from treatwise.web import openapi as openapi_document
from treatwise.web.api import assessments as assessments_api
from treatwise.web.api import compare as compare_api
from treatwise.web.api import plans as plans_api
from treatwise.web.api import subscriptions as subscriptions_api
from treatwise.web.api import treatments as treatments_api
from treatwise.web.body_guard import BodyGuardMiddleware
from treatwise.web.caching import PageCacheMiddleware
from treatwise.web.pages import about, compare, decide, home, treatments
from treatwise.web.pages import articles as article_pages
from treatwise.web.pages import feeds as feed_pages
from treatwise.web.pages import newsletter as newsletter_pages
from treatwise.web.pages import plan as plan_pages
from treatwise.web.pages import safety as safety_pages
from treatwise.web.pages import sources as source_pages
from treatwise.web.security import SecurityHeadersMiddleware
from treatwise.web.static_files import VersionedStaticFiles
from treatwise.web.templating import STATIC_DIR

API = "/api/v1"

BODY_LIMITS = {
    f"{API}/subscriptions": 4 * 1024,
    f"{API}/plans": 16 * 1024,
    "/newsletter": 4 * 1024,
    "/newsletter/confirm": 4 * 1024,
    "/newsletter/unsubscribe": 4 * 1024,
    "/newsletter/preferences": 4 * 1024,
    "/newsletter/preferences/export": 4 * 1024,
    "/newsletter/preferences/forget": 4 * 1024,
    "/newsletter/preferences/data-link": 4 * 1024,
    "/decide": 16 * 1024,
    "/decide.pdf": 16 * 1024,
}
"""Request body limits in bytes per path; every other path gets 64 KiB (web/body_guard.py)."""


class TreatwiseApp(FastAPI):
    """FastAPI with the page cache in front of everything, FastAPI's own call included.

    A cached page is answered before FastAPI's per-request work (its
    telemetry check alone costs about 3 µs, half of the old hit path), so
    OpenTelemetry, if configured, sees only the requests that reach the app.
    """

    def __init__(self, *, cache_version: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_cache = PageCacheMiddleware(super().__call__, version=cache_version)
        self.host_names: frozenset[bytes] = frozenset()  # set: only these hosts, cached or not
        self.direct: dict[tuple[str, str], ASGIApp] = {}
        """(method, path) → an endpoint answered before FastAPI, behind its own middleware."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.host_names and scope["type"] == "http" and not self._allowed_host(scope):
            await super().__call__(scope, receive, send)  # TrustedHostMiddleware answers 400
            return
        if scope["type"] == "http" and (
            direct := self.direct.get((scope["method"], scope["path"]))
        ):
            await direct(scope, receive, send)
            return
        await self.page_cache(scope, receive, send)

    def _allowed_host(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"host":
                host = value.rsplit(b":", 1)[0] if not value.endswith(b"]") else value
                return host.lower() in self.host_names
        return False


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None) -> FastAPI:
    """Build the app for these settings (read from the environment when not given)."""
    settings = settings or Settings()
    kb = kb or load(settings.data_dir)
    app = TreatwiseApp(
        cache_version=kb.version,
        title="Treatwise API",
        version=__version__,
        description="Evidence-graded guide and decision aid for aesthetic skin treatments.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.router.redirect_slashes = False  # errors.py redirects with a relative Location instead
    app.state.kb = kb
    errors.install(app)
    # One list of layers, innermost first, for the app and for the assessments API's direct
    # path (answered before FastAPI's routing and dependency injection, half of its cost per
    # request): (page cache, see TreatwiseApp) → gzip → security headers → trusted hosts
    # (when configured) → body guard → routes.
    layers: list[tuple[Any, dict[str, Any]]] = [(BodyGuardMiddleware, {"limits": BODY_LIMITS})]
    if settings.host_names:
        layers.append((TrustedHostMiddleware, {"allowed_hosts": list(settings.host_names)}))
        if not any("*" in h for h in settings.host_names):  # wildcards: the middleware only
            app.host_names = frozenset(h.lower().encode() for h in settings.host_names)
    layers.append((SecurityHeadersMiddleware, {"https": settings.base_url.startswith("https://")}))
    layers.append((GZipMiddleware, {"minimum_size": 800}))
    direct: ASGIApp = assessments_api.AssessmentEndpoint(kb)
    for layer, options in layers:  # last added is outermost
        app.add_middleware(layer, **options)
        direct = layer(direct, **options)
    app.direct[("POST", f"{API}/assessments")] = direct
    app.mount("/static", VersionedStaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "kb_version": kb.version}

    # Routers: one line per concept.
    app.include_router(home.router)
    app.include_router(treatments.router)
    app.include_router(decide.router)
    app.include_router(compare.router)
    app.include_router(safety_pages.router)
    app.include_router(treatments_api.router, prefix=API)
    app.include_router(compare_api.router, prefix=API)
    app.include_router(assessments_api.router, prefix=API)
    app.include_router(newsletter_pages.router)
    app.include_router(subscriptions_api.router, prefix=API)
    app.include_router(plan_pages.router)
    app.include_router(article_pages.router)
    app.include_router(source_pages.router)
    app.include_router(feed_pages.router)
    app.include_router(plans_api.router, prefix=API)
    app.include_router(about.router)
    openapi_document.install(app, kb)
    return app


def asgi() -> FastAPI:
    """Entry point for ASGI servers (``treatwise.web.app:asgi`` with a factory flag)."""
    return create_app()

"""The application factory. Routers live one module per concept under ``pages/`` and ``api/``."""

from __future__ import annotations

from fastapi import FastAPI

from treatwise import __version__
from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase, load


def create_app(settings: Settings | None = None, kb: KnowledgeBase | None = None) -> FastAPI:
    """Build the app for these settings (read from the environment when not given)."""
    settings = settings or Settings()
    kb = kb or load(settings.data_dir)
    app = FastAPI(
        title="Treatwise API",
        version=__version__,
        description="Evidence-graded guide and decision aid for aesthetic skin treatments.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.kb = kb

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "kb_version": kb.version}

    return app


def asgi() -> FastAPI:
    """Entry point for ASGI servers (``treatwise.web.app:asgi`` with a factory flag)."""
    return create_app()

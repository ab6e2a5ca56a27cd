"""Settings for a test app (SQLite and a mail folder under a temporary folder) and a client."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.web.app import create_app

with warnings.catch_warnings():  # starlette asks for httpx2, which is not needed here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def make_settings(folder: Path, **overrides: Any) -> Settings:
    """Test settings: SQLite and a mail folder in ``folder``, a fixed secret."""
    values: dict[str, Any] = {
        "env": "test",
        "database_url": f"sqlite:///{folder / 'app.db'}",
        "maildir": folder / "mail",
        "secret_key": "test-secret",
    }
    return Settings(**{**values, **overrides})


def make_client(settings: Settings, kb: KnowledgeBase, *, raise_errors: bool = False) -> TestClient:
    """A client for the app built from these settings and this knowledge base."""
    return TestClient(create_app(settings, kb), raise_server_exceptions=raise_errors)

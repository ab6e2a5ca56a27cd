"""Web fixtures: an app on a small fake knowledge base, and a test client."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():  # starlette asks for httpx2, which is not needed here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))

from web_fakes import fake_kb

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.web.app import create_app


@pytest.fixture(scope="session")
def fake() -> KnowledgeBase:
    return fake_kb()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        database_url=f"sqlite:///{tmp_path / 'web.db'}",
        maildir=tmp_path / "mail",
        secret_key="test-secret",
        base_url="https://treatwise.test",
    )


@pytest.fixture
def app(settings: Settings, fake: KnowledgeBase) -> FastAPI:
    return create_app(settings, fake)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)

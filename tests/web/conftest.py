"""Web fixtures: an app on a small fake knowledge base and one on the packaged one, with
test clients (``client`` and ``web``)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from fastapi import FastAPI

with warnings.catch_warnings():  # starlette asks for httpx2, which is not needed here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


from support.app import make_client, make_settings
from support.web_fakes import fake_kb

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.web.app import create_app


@pytest.fixture(scope="session")
def fake() -> KnowledgeBase:
    return fake_kb()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, base_url="https://treatwise.test")


@pytest.fixture
def app(settings: Settings, fake: KnowledgeBase) -> FastAPI:
    return create_app(settings, fake)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def web(settings: Settings, kb: KnowledgeBase) -> TestClient:
    """A client for the app on the packaged knowledge base (server errors as 500s)."""
    return make_client(settings, kb)

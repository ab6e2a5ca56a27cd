"""CSRF: signed double-submit token for state-changing forms."""

from __future__ import annotations

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.testclient import TestClient
from jinja2 import ChoiceLoader, DictLoader

from treatwise.web import csrf
from treatwise.web.templating import ENVIRONMENT, render

FORM = (
    '{% extends "base.html" %}'
    '{% block content %}<form method="post">{{ csrf_field() }}</form>{% endblock %}'
)


@pytest.fixture
def form_app(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    loader = ChoiceLoader([DictLoader({"test/form.html": FORM}), ENVIRONMENT.loader])  # type: ignore[list-item]
    monkeypatch.setattr(ENVIRONMENT, "loader", loader)
    ENVIRONMENT.cache.clear()  # type: ignore[union-attr]

    @app.get("/test-form", response_class=HTMLResponse)
    async def form(request: Request) -> HTMLResponse:
        return render(request, "test/form.html", cache=True)

    @app.post("/test-submit", dependencies=[Depends(csrf.verify_csrf)])
    async def submit() -> PlainTextResponse:
        return PlainTextResponse("ok")

    return app


@pytest.fixture
def https_client(form_app: FastAPI) -> TestClient:
    return TestClient(form_app, base_url="https://testserver")


def test_token_round_trip() -> None:
    token = csrf.new_token("k1")
    assert csrf.is_valid("k1", token)
    assert not csrf.is_valid("k2", token)
    assert not csrf.is_valid("k1", token + "x")
    assert not csrf.is_valid("k1", None)


def test_form_sets_cookie_and_is_never_cached(https_client: TestClient) -> None:
    client = https_client
    page = client.get("/test-form")
    token = page.cookies[csrf.COOKIE]
    assert f'<input type="hidden" name="csrf_token" value="{token}">' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "etag" not in page.headers
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    again = client.get("/test-form")  # the same visitor keeps the same token
    assert f'value="{token}"' in again.text


def test_post_needs_matching_signed_token(https_client: TestClient) -> None:
    client = https_client
    token = client.get("/test-form").cookies[csrf.COOKIE]
    assert client.post("/test-submit", data={"csrf_token": token}).text == "ok"
    assert client.post("/test-submit", data={}).status_code == 403
    assert client.post("/test-submit", data={"csrf_token": "x"}).status_code == 403
    other = csrf.new_token("another-key")
    client.cookies.set(csrf.COOKIE, other)
    r = client.post("/test-submit", data={"csrf_token": other})
    assert r.status_code == 403 and "expired" in r.text
    assert r.headers["content-type"].startswith("text/html")

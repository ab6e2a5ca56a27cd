"""Hostile input found by an attacker's review: each answer names the field, none is a 500."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.store.migrate import upgrade
from treatwise.web.app import create_app

JSON = {"content-type": "application/json"}
LONE_SURROGATE_KEY = b'{"treatment": "microneedling", "\\ud800": 1}'
LONE_SURROGATE_EMAIL = b'{"email": "a\\udc00@example.org"}'


@pytest.fixture
def real(settings: Settings, kb: KnowledgeBase) -> TestClient:
    upgrade(settings.database_url)
    app: FastAPI = create_app(settings, kb)
    return TestClient(app, raise_server_exceptions=False)


def test_a_lone_surrogate_in_a_plan_key_is_refused(real: TestClient) -> None:
    r = real.post("/api/v1/plans", content=LONE_SURROGATE_KEY, headers=JSON)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "body"


def test_a_lone_surrogate_in_an_address_is_refused(real: TestClient) -> None:
    r = real.post("/api/v1/subscriptions", content=LONE_SURROGATE_EMAIL, headers=JSON)
    assert r.status_code == 400
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/plan/microneedling?start=9999-12-31",
        "/plan/microneedling.ics?start=9999-12-31",
        "/plan/microneedling.pdf?start=9999-12-31",
    ],
)
def test_a_start_date_far_ahead_is_a_field_error_on_every_plan_route(
    real: TestClient, path: str
) -> None:
    r = real.get(path)
    assert r.status_code == 422
    assert "within two years" in r.text


def test_a_start_date_far_ahead_is_a_field_error_in_the_api(real: TestClient) -> None:
    body = {"treatment": "microneedling", "start": "9999-12-31"}
    r = real.post("/api/v1/plans", json=body)
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    assert error["field"] == "start" and "within two years" in error["msg"]


def test_a_bad_sign_up_does_not_echo_the_address_and_is_not_cached(real: TestClient) -> None:
    address = "not-an-address-" + "x" * 40
    r = real.post("/api/v1/subscriptions", content=json.dumps({"email": address}), headers=JSON)
    assert r.status_code == 422
    assert address not in r.text
    assert r.headers["cache-control"] == "no-store"
    r = real.post("/api/v1/subscriptions", json={"email": 12, "unknown": address})
    assert r.status_code == 422
    assert address not in r.text
    assert {tuple(p["loc"]) for p in r.json()["detail"]} == {("body", "email"), ("body", "unknown")}


def test_the_rate_limit_counts_before_the_body_is_read(real: TestClient) -> None:
    """Bad bodies spend the same per-address budget as good ones (5 a minute)."""
    statuses = [
        real.post("/api/v1/subscriptions", content=b"{not json", headers=JSON).status_code
        for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]

"""``POST /api/v1/plans``: the plan as JSON; 422 naming each field and its values, never 500."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from typing import Any

import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st

from treatwise.config import Settings
from treatwise.domain.plan import plan
from treatwise.knowledge import KnowledgeBase, load
from treatwise.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TODAY = dt.date.today()
START = TODAY + dt.timedelta(days=10)
URL = "/api/v1/plans"


@pytest.fixture(scope="module")
def api() -> TestClient:
    tmp = Settings(
        env="test",
        database_url="sqlite://",
        secret_key="test-secret",
        base_url="https://treatwise.test",
    )
    app: FastAPI = create_app(tmp, load())
    return TestClient(app, raise_server_exceptions=False)


def _fields(response: Any) -> dict[str, dict[str, Any]]:
    assert response.status_code == 422, response.text
    assert response.headers["cache-control"] == "no-store"
    return {d["field"]: d for d in response.json()["detail"]}


def test_plan_as_json(api: TestClient, kb: KnowledgeBase) -> None:
    body = {
        "treatment": "microneedling",
        "start": START.isoformat(),
        "sessions": 5,
        "interval_weeks": 6,
    }
    r = api.post(URL, json=body)
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    expected = plan(kb, "microneedling", start=START, sessions=5, interval_weeks=6)
    assert r.json() == json.loads(expected.model_dump_json())
    assert [s["date"] for s in r.json()["sessions"]] == [
        (START + dt.timedelta(weeks=6 * n)).isoformat() for n in range(5)
    ]


@pytest.mark.parametrize("treatment", sorted(load().treatments))
def test_every_treatment_with_defaults(api: TestClient, kb: KnowledgeBase, treatment: str) -> None:
    r = api.post(URL, json={"treatment": treatment})
    assert r.status_code == 200
    data = r.json()
    assert data["start"] == TODAY.isoformat()
    assert data["treatment"] == treatment and data["references"]
    assert data == json.loads(plan(kb, treatment, start=TODAY).model_dump_json())


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"treatment": "botox"}, "treatment", "unknown treatment"),
        ({}, "treatment", "required"),
        ({"treatment": 3}, "treatment", "unknown treatment"),
        ({"treatment": "prp", "start": "2001-01-01"}, "start", "in the past"),
        ({"treatment": "prp", "start": "1 Jan 2030"}, "start", "YYYY-MM-DD"),
        ({"treatment": "prp", "start": 20300101}, "start", "date string"),
        ({"treatment": "prp", "sessions": 4}, "sessions", "exactly 3"),
        ({"treatment": "microneedling", "sessions": "4"}, "sessions", "from 3 to 6"),
        ({"treatment": "microneedling", "sessions": 4.5}, "sessions", "whole number"),
        ({"treatment": "microneedling", "sessions": True}, "sessions", "whole number"),
        ({"treatment": "microneedling", "interval_weeks": 8}, "interval_weeks", "from 2 to 6"),
        (
            {"treatment": "topical-retinoid", "interval_weeks": 4},
            "interval_weeks",
            "does not apply",
        ),
        ({"treatment": "prp", "colour": "red"}, "colour", "unknown field"),
    ],
)
def test_bad_fields_are_named(
    api: TestClient, body: dict[str, Any], field: str, words: str
) -> None:
    detail = _fields(api.post(URL, json=body))[field]
    assert words in detail["msg"]
    assert detail["loc"] == ["body", field]


def test_errors_list_the_sourced_values_and_every_field(api: TestClient) -> None:
    body = {
        "treatment": "microneedling",
        "start": "2001-01-01",
        "sessions": 12,
        "interval_weeks": 1,
    }
    fields = _fields(api.post(URL, json=body))
    assert set(fields) == {"start", "sessions", "interval_weeks"}
    assert fields["sessions"]["valid"] == ["3", "4", "5", "6"]
    assert fields["interval_weeks"]["valid"] == ["2", "3", "4", "5", "6"]
    assert fields["start"]["valid"] == [f"{TODAY.isoformat()} or later"]
    assert "12" not in fields["sessions"]["msg"]  # values are not echoed


@pytest.mark.parametrize("raw", [b"", b"{", b"[1, 2]", b'"microneedling"', b"null", b"\xff\xfe"])
def test_malformed_bodies(api: TestClient, raw: bytes) -> None:
    r = api.post(URL, content=raw, headers={"content-type": "application/json"})
    assert "body" in _fields(r)


def test_too_large(api: TestClient) -> None:
    r = api.post(URL, content=b" " * 20_000, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"][0]["field"] == "body"


def test_openapi_documents_the_endpoint(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    operation = spec["paths"]["/api/v1/plans"]["post"]
    assert {"200", "422"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["treatment"]
    assert "Plan" in spec["components"]["schemas"]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
BODIES = (
    st.fixed_dictionaries(
        {},
        optional={
            "treatment": st.sampled_from(sorted(load().treatments)) | JSON,
            "start": st.dates().map(dt.date.isoformat) | JSON,
            "sessions": st.integers(-2, 15) | JSON,
            "interval_weeks": st.floats(allow_nan=True) | st.integers(-2, 15) | JSON,
        },
    )
    | JSON
)


@settings(max_examples=300, deadline=None)
@given(body=BODIES)
def test_never_a_server_error(api: TestClient, body: Any) -> None:
    r = api.post(URL, content=json.dumps(body), headers={"content-type": "application/json"})
    assert r.status_code in (200, 422), r.text
    if r.status_code == 422:
        assert all(d["msg"] and d["loc"][0] == "body" for d in r.json()["detail"])

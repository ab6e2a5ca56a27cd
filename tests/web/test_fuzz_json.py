"""Every JSON endpoint, fuzzed: odd unicode, deep nesting, huge numbers, wrong types; no 500.

Bodies are raw bytes, so that they can hold what ``json.dumps`` of a Python
value would not: escaped lone surrogates, numbers beyond any float or beyond
Python's digit limit, nesting thousands deep.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.newsletter.ratelimit import RateLimiter
from treatwise.store.migrate import upgrade
from treatwise.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

FIELDS = {
    "/api/v1/assessments": ["age", "concerns", "conditions", "fitzpatrick", "setting"],
    "/api/v1/plans": ["treatment", "start", "sessions", "interval_weeks"],
    "/api/v1/subscriptions": ["email", "interests", "source"],
}
ANSWERS = {200, 202, 400, 408, 413, 422, 429}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> TestClient:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{tmp / 'fuzz.db'}"
    upgrade(url)
    app = create_app(
        Settings(env="test", database_url=url, maildir=tmp / "mail", secret_key="fuzz-secret"),
        kb,
    )
    app.state.signup_limiter = RateLimiter(limits="1000000/minute")  # fuzz the body, not the limit
    return TestClient(app, raise_server_exceptions=False)


class _Number:
    """A number written as-is into the body (beyond float range or digit limits)."""

    def __init__(self, text: str) -> None:
        self.text = text


odd_text = st.text(st.integers(0, 0x10FFFF).map(chr), max_size=12)  # surrogates, controls, all
huge = st.integers(-(10**400), 10**400) | st.sampled_from(
    ["1e999999", "-1e999999", "1" * 5000, "0." + "0" * 5000 + "1", "-0", "1E-99999"]
).map(_Number)
scalar = (
    st.none()
    | st.booleans()
    | huge
    | st.floats(allow_nan=False, allow_infinity=False)
    | odd_text
    | st.sampled_from(["acne-scars", "pregnant", "microneedling", "2026-12-01", "a@b.example"])
)
values = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(odd_text, inner, max_size=4),
    max_leaves=12,
)


def _raw(value: Any) -> str:
    """JSON text for a value; strings keep lone surrogates as \\uXXXX escapes."""
    if isinstance(value, _Number):
        return value.text
    if isinstance(value, list):
        return "[" + ",".join(_raw(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_raw(k)}:{_raw(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=True)


@st.composite
def bodies(draw: st.DrawFn, path: str) -> bytes:
    kind = draw(st.sampled_from(["shaped", "any", "deep-list", "deep-object", "bytes"]))
    if kind == "shaped":  # the endpoint's own fields, holding anything
        keys = draw(st.lists(st.sampled_from([*FIELDS[path], "other"]), unique=True))
        return _raw({k: draw(values) for k in keys}).encode()
    if kind == "any":
        return _raw(draw(values)).encode()
    depth = draw(st.integers(1, 5000))
    if kind == "deep-list":
        return ("[" * depth + "]" * depth).encode()
    if kind == "deep-object":
        return ('{"a":' * depth + "1" + "}" * depth).encode()
    return draw(st.binary(max_size=64))


@pytest.mark.parametrize("path", sorted(FIELDS))
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_no_json_endpoint_answers_500(api: TestClient, path: str, data: st.DataObject) -> None:
    body = data.draw(bodies(path))
    answer = api.post(path, content=body, headers={"content-type": "application/json"})
    assert answer.status_code in ANSWERS, f"{answer.status_code} for {body[:200]!r}"
    assert answer.headers["content-type"].startswith("application/json")

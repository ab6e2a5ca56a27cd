"""Sign-up rate limits shared through Redis by several processes (marker ``redis``).

Each "process" is a limiter (or a whole web app) of its own, with its own Redis
connection pool, built from the same ``TREATWISE_REDIS_URL``. Every run counts
under keys of its own (a random scope or client address), so reruns start clean.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator

import pytest
import redis

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.ratelimit import RateLimiter
from treatwise.web.app import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.redis


@pytest.fixture
def run_id(redis_url: str) -> Iterator[str]:
    """A unique marker for this run's keys; they are deleted afterwards."""
    marker = f"test-{uuid.uuid4().hex}"
    yield marker
    with redis.Redis.from_url(redis_url) as conn:
        keys = list(conn.scan_iter(match=f"*{marker}*"))
        if keys:
            conn.delete(*keys)


def _keys(redis_url: str, marker: str) -> list[bytes]:
    with redis.Redis.from_url(redis_url) as conn:
        return list(conn.scan_iter(match=f"*{marker}*"))


def _settings(monkeypatch: pytest.MonkeyPatch, redis_url: str) -> Settings:
    monkeypatch.setenv("TREATWISE_REDIS_URL", redis_url)
    return Settings()  # read from the environment, as each process would


def test_two_limiters_share_one_budget_per_ip(
    redis_url: str, run_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = RateLimiter(_settings(monkeypatch, redis_url).redis_url, scope=run_id)
    second = RateLimiter(_settings(monkeypatch, redis_url).redis_url, scope=run_id)
    answers = [(first if i % 2 else second).allow("198.51.100.7") for i in range(7)]
    assert answers == [True] * 5 + [False] * 2  # 5/minute in all, not 5 each
    assert not first.allow("198.51.100.7") and not second.allow("198.51.100.7")
    assert first.allow("198.51.100.8") and second.allow("198.51.100.8")  # per IP
    assert _keys(redis_url, run_id)  # counted in Redis, not in memory

    alone = RateLimiter(None, scope=run_id)  # control: a memory limiter shares nothing
    assert alone.allow("198.51.100.7")


def test_two_web_apps_share_the_signup_budget(
    redis_url: str, nl: Newsletter, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two apps limit sign-ups through Redis by themselves (no limiter injected)."""
    ip = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    settings = _settings(monkeypatch, redis_url).model_copy(update={"base_url": "http://t"})
    clients = []
    for _ in range(2):
        app = create_app(settings, kb)
        app.state.newsletter = nl  # the test database; the limiter is the app's own
        clients.append(TestClient(app, client=(ip, 50000)))
    try:
        codes = [
            clients[i % 2].post("/api/v1/subscriptions", json={"email": f"r{i}@example.org"})
            for i in range(7)
        ]
        assert [answer.status_code for answer in codes] == [202] * 5 + [429] * 2
        assert _keys(redis_url, ip)
    finally:
        for client in clients:
            client.close()
        with redis.Redis.from_url(redis_url) as conn:
            for key in _keys(redis_url, ip):
                conn.delete(key)

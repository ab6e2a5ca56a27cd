"""Newsletter fixtures: a migrated SQLite database, a settable clock, a memory mailer, Redis."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.dbkit import sqlite_copy, sqlite_template
from support.nlkit import SECRET, Clock, CountingSink, Sink, make_newsletter, smtp_server
from support.require import require

from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import MemoryMailer
from treatwise.store import Database

with warnings.catch_warnings():  # starlette asks for httpx2, which is not needed here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

REDIS_URL = os.environ.get("TREATWISE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up(url: str) -> bool:
    import redis

    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1) as conn:
            return bool(conn.ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The Redis test database (127.0.0.1:6379, db 15): skips locally, fails in CI when down."""
    require(_redis_up(REDIS_URL), f"Redis at {REDIS_URL}", "start it (see .ci/run)")
    return REDIS_URL


@pytest.fixture(scope="session")
def sqlite_template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sqlite_template(tmp_path_factory.mktemp("nl-template"))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_url(sqlite_template_db: Path, tmp_path: Path) -> str:
    return sqlite_copy(sqlite_template_db, tmp_path)


@pytest.fixture
def nl(db_url: str, clock: Clock) -> Iterator[Newsletter]:
    database = Database(db_url)
    yield make_newsletter(database, clock=clock)
    database.dispose()


@pytest.fixture
def mailer() -> MemoryMailer:
    return MemoryMailer()


@pytest.fixture
def smtp_sink() -> Iterator[tuple[Sink, str]]:
    """A real SMTP server (aiosmtpd) on a free loopback port, and its smtp:// URL."""
    sink = Sink()
    with smtp_server(sink) as url:
        yield sink, url


@pytest.fixture
def client(nl: Newsletter, db_url: str) -> Iterator[TestClient]:
    """The web app on the test database, with the test clock and a fresh rate limiter."""
    from treatwise.config import Settings
    from treatwise.knowledge import load
    from treatwise.newsletter.ratelimit import RateLimiter
    from treatwise.web.app import create_app

    settings = Settings(database_url=db_url, secret_key=SECRET, base_url="http://testserver")
    app = create_app(settings, load())
    app.state.newsletter = nl
    app.state.signup_limiter = RateLimiter(limits="20/minute")
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def counting_sink() -> Iterator[tuple[CountingSink, str]]:
    """A fast aiosmtpd sink that only counts messages per recipient and Message-ID."""
    sink = CountingSink()
    with smtp_server(sink) as url:
        yield sink, url

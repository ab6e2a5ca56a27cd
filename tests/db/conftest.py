"""PostgreSQL fixtures (marker ``postgres``): a schema of its own per run, emptied per test."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.dbkit import postgres_schema, truncate_all
from support.nlkit import Clock, CountingSink, make_newsletter, smtp_server

from treatwise.newsletter.context import Newsletter
from treatwise.store import Database

HERE = Path(__file__).parent

with warnings.catch_warnings():  # aiosmtpd warns once on import; pre-import it quietly
    warnings.simplefilter("ignore")
    import aiosmtpd.controller  # noqa: F401


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_url(postgres_url: str) -> Iterator[str]:
    """A migrated schema on the test server for this run (dropped at the end)."""
    with postgres_schema(postgres_url) as url:
        yield url


@pytest.fixture
def pg_nl(pg_url: str) -> Iterator[Newsletter]:
    """A newsletter context on an empty PostgreSQL schema, with a real clock."""
    database = Database(pg_url)
    truncate_all(database)
    yield make_newsletter(database)
    database.dispose()


@pytest.fixture
def pg_clocked(pg_nl: Newsletter) -> Newsletter:
    """The same context with a hand-moved clock."""
    from dataclasses import replace

    return replace(pg_nl, clock=Clock())


@pytest.fixture
def pg_sink() -> Iterator[tuple[CountingSink, str]]:
    """A counting aiosmtpd sink on a free loopback port."""
    sink = CountingSink()
    with smtp_server(sink) as url:
        yield sink, url

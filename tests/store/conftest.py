"""Store fixtures: ``db`` runs each test on SQLite and on PostgreSQL (marker ``postgres``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.dbkit import postgres_schema, sqlite_copy, sqlite_template, truncate_all

from treatwise.store import Database


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def _postgres_store_url(request: pytest.FixtureRequest) -> Iterator[str]:
    base = request.getfixturevalue("postgres_url")
    with postgres_schema(base) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(
    request: pytest.FixtureRequest, tmp_path: Path, _sqlite_template: Path
) -> Iterator[Database]:
    """A migrated, empty database on each engine."""
    if request.param == "sqlite":
        database = Database(sqlite_copy(_sqlite_template, tmp_path))
    else:
        database = Database(request.getfixturevalue("_postgres_store_url"))
        truncate_all(database)
    try:
        yield database
    finally:
        database.dispose()

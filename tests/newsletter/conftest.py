"""Newsletter fixtures: a migrated SQLite database, a settable clock, a memory mailer."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "store"))
sys.path.insert(0, str(Path(__file__).parent))

from dbkit import sqlite_copy, sqlite_template
from nlkit import INTERESTS, SECRET, Clock

from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import MemoryMailer
from treatwise.store import Database


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
    yield Newsletter(
        db=database,
        secret=SECRET,
        base_url="https://treatwise.test",
        mail_from="Treatwise <newsletter@treatwise.test>",
        postal_address="Treatwise, 1 Example Street, Springfield",
        interests=INTERESTS,
        clock=clock,
    )
    database.dispose()


@pytest.fixture
def mailer() -> MemoryMailer:
    return MemoryMailer()

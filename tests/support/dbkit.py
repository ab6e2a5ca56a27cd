"""Test databases for the newsletter store: a migrated SQLite file or a PostgreSQL schema.

Shared by tests/store, tests/newsletter and tests/db. Each PostgreSQL run gets a schema of
its own, dropped at the end, so reruns and parallel runs are clean.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

from treatwise.store import Database
from treatwise.store.migrate import upgrade
from treatwise.store.tables import metadata


def sqlite_template(folder: Path) -> Path:
    """A migrated SQLite file to copy for each test (migrating once is faster)."""
    path = folder / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def sqlite_copy(template: Path, folder: Path) -> str:
    """The URL of a fresh copy of the template."""
    target = folder / f"{uuid.uuid4().hex}.db"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A new, migrated schema on the test server; yields a URL whose search_path is it."""
    schema = f"tw_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base_url else "?"
    url = f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def truncate_all(db: Database) -> None:
    """Empty every newsletter table (PostgreSQL, between tests)."""
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with db.begin() as tx:
        tx.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))

"""Engine and transactions from a plain URL; SQLite gets the pragmas a small server needs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url

Tx = Connection
"""An open transaction; the ``tx`` argument of every store function."""


class Database:
    """One engine per process; ``with db.begin() as tx:`` is one transaction."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine: Engine = _engine(url, echo=echo)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Tx]:
        """A transaction: committed on success, rolled back on an exception."""
        with self.engine.begin() as tx:
            yield tx

    @contextmanager
    def begin_relaxed(self) -> Iterator[Tx]:
        """A transaction whose commit a database crash may undo (PostgreSQL: no fsync wait).

        For bookkeeping that at-least-once delivery tolerates losing, such as marking
        outbox rows sent: a lost mark means a message is sent again, never lost.
        """
        with self.engine.begin() as tx:
            if tx.dialect.name == "postgresql":
                tx.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            yield tx

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, echo=echo, pool_recycle=1800)
    if parsed.database and parsed.database != ":memory:":
        create_private(Path(parsed.database))
    engine = create_engine(url, echo=echo)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


PRIVATE = 0o600
"""Mode of files holding personal data: readable and writable by their owner only."""


def create_private(path: Path) -> None:
    """Create an empty database file readable by its owner only, unless it exists.

    SQLite would create it with the umask's mode (often world-readable); it gives
    its ``-wal`` and ``-shm`` files the database file's mode, so they follow.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy own transactions (pysqlite's implicit BEGIN would defer the write lock).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin_immediate(connection: Connection) -> None:
    # Take the write lock at BEGIN: two writers then queue on busy_timeout instead of
    # failing with "database is locked" when a reader upgrades to a writer.
    connection.exec_driver_sql("BEGIN IMMEDIATE")

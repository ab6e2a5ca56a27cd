"""Engine and transactions from a plain URL; SQLite gets the pragmas a small server needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin_immediate)
    return engine


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

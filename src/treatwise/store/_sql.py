"""Dialect helpers shared by the query modules (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from treatwise.store.database import Tx


def insert_ignoring_conflicts(tx: Tx, table: Table) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` for the engine behind ``tx``."""
    if tx.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()

"""Storage: the only package that imports SQLAlchemy.

Rule: functions take an open transaction (``tx``) and plain values, and return
plain values or frozen dataclasses; the newsletter package owns the rules (who
gets what, status transitions). SQL is portable between SQLite and PostgreSQL;
the few engine-specific clauses live in ``outbox.py`` and ``_sql.py``.
"""

from treatwise.store.database import Database, Tx

__all__ = ["Database", "Tx"]

"""The suppression list: hashes of addresses that must not be mailed (after a forget)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select

from treatwise.store._sql import insert_ignoring_conflicts
from treatwise.store.database import Tx
from treatwise.store.tables import suppressions


def add(tx: Tx, email_hash: str, *, reason: str, now: dt.datetime) -> None:
    """Suppress this hash (a second add keeps the first entry)."""
    tx.execute(
        insert_ignoring_conflicts(tx, suppressions).values(
            email_hash=email_hash, reason=reason, created_at=now
        )
    )


def contains(tx: Tx, email_hash: str) -> bool:
    """Whether this hash is suppressed."""
    query = select(suppressions.c.email_hash).where(suppressions.c.email_hash == email_hash)
    return tx.execute(query).first() is not None


def remove(tx: Tx, email_hash: str) -> None:
    """Lift the suppression (the person opted in again)."""
    tx.execute(delete(suppressions).where(suppressions.c.email_hash == email_hash))


def count(tx: Tx) -> int:
    """How many hashes are suppressed."""
    return int(tx.execute(select(func.count()).select_from(suppressions)).scalar_one())


def matching(tx: Tx, email_hashes: set[str]) -> set[str]:
    """Which of these hashes are suppressed."""
    if not email_hashes:
        return set()
    query = select(suppressions.c.email_hash).where(
        suppressions.c.email_hash.in_(sorted(email_hashes))
    )
    return set(tx.execute(query).scalars())

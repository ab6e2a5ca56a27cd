"""Subscriber rows: look-ups, inserts and status changes. Plain values in and out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, func, or_, select, update

from treatwise.store._sql import insert_ignoring_conflicts
from treatwise.store.database import Tx
from treatwise.store.tables import consents, subscribers


@dataclass(frozen=True, slots=True)
class Subscriber:
    """One subscriber as stored."""

    id: int
    key: str
    email: str
    status: str
    interests: tuple[str, ...]
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    unsubscribed_at: dt.datetime | None


def _from_row(row: Any) -> Subscriber:
    return Subscriber(
        id=row.id,
        key=row.key,
        email=row.email,
        status=row.status,
        interests=tuple(row.interests or ()),
        created_at=row.created_at,
        confirmed_at=row.confirmed_at,
        unsubscribed_at=row.unsubscribed_at,
    )


def get_by_email(tx: Tx, email: str) -> Subscriber | None:
    """The subscriber with this normalised address, if any."""
    row = tx.execute(select(subscribers).where(subscribers.c.email == email)).first()
    return _from_row(row) if row else None


def get_by_key(tx: Tx, key: str) -> Subscriber | None:
    """The subscriber whose token key this is, if any."""
    row = tx.execute(select(subscribers).where(subscribers.c.key == key)).first()
    return _from_row(row) if row else None


def get(tx: Tx, subscriber_id: int) -> Subscriber | None:
    """The subscriber with this id, if any."""
    row = tx.execute(select(subscribers).where(subscribers.c.id == subscriber_id)).first()
    return _from_row(row) if row else None


def insert(
    tx: Tx, *, email: str, key: str, interests: Sequence[str], now: dt.datetime
) -> Subscriber | None:
    """Add a pending subscriber; None when the address is already there (a concurrent insert)."""
    stmt = (
        insert_ignoring_conflicts(tx, subscribers)
        .values(email=email, key=key, status="pending", interests=list(interests), created_at=now)
        .returning(subscribers.c.id)
    )
    if tx.execute(stmt).first() is None:
        return None
    return get_by_email(tx, email)


def insert_many(tx: Tx, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert (benchmarks, imports): each row has every column but ``id``."""
    if rows:
        tx.execute(subscribers.insert(), list(rows))


def set_status(tx: Tx, subscriber_id: int, *, status: str, now: dt.datetime) -> None:
    """Change the status and stamp the matching time (confirmed or unsubscribed)."""
    values: dict[str, Any] = {"status": status}
    if status == "active":
        values |= {"confirmed_at": now, "unsubscribed_at": None}
    elif status == "unsubscribed":
        values["unsubscribed_at"] = now
    elif status == "pending":
        values |= {"confirmed_at": None}
    tx.execute(update(subscribers).where(subscribers.c.id == subscriber_id).values(**values))


def set_interests(tx: Tx, subscriber_id: int, *, interests: Sequence[str]) -> None:
    """Replace the subscriber's interests."""
    tx.execute(
        update(subscribers)
        .where(subscribers.c.id == subscriber_id)
        .values(interests=list(interests))
    )


def delete_subscriber(tx: Tx, subscriber_id: int) -> None:
    """Delete the row; consents and outbox rows go with it (ON DELETE CASCADE)."""
    tx.execute(delete(subscribers).where(subscribers.c.id == subscriber_id))


def delete_stale_pending(tx: Tx, *, before: dt.datetime) -> int:
    """Delete never-confirmed pending subscribers with no consent event since ``before``.

    "Never confirmed" means no ``confirm`` event in the ledger (a former subscriber who
    asked again is kept with their history). Their outbox rows (the unsent confirmation)
    and consent events go with them (ON DELETE CASCADE). Returns how many went.
    """
    touched = exists().where(
        consents.c.subscriber_id == subscribers.c.id,
        or_(consents.c.event == "confirm", consents.c.occurred_at >= before),
    )
    stale = (
        delete(subscribers)
        .where(subscribers.c.status == "pending")
        .where(subscribers.c.created_at < before)
        .where(~touched)
    )
    return int(tx.execute(stale).rowcount)


def iterate(tx: Tx, *, status: str | None = None, batch: int = 1000) -> Iterator[Subscriber]:
    """Every subscriber (optionally of one status), in id order, fetched in batches."""
    last = 0
    while True:
        query = select(subscribers).where(subscribers.c.id > last)
        if status is not None:
            query = query.where(subscribers.c.status == status)
        rows = tx.execute(query.order_by(subscribers.c.id).limit(batch)).all()
        yield from (_from_row(row) for row in rows)
        if len(rows) < batch:
            return
        last = rows[-1].id


def count_by_status(tx: Tx) -> dict[str, int]:
    """How many subscribers have each status."""
    rows = tx.execute(select(subscribers.c.status, func.count()).group_by(subscribers.c.status))
    return {str(row[0]): int(row[1]) for row in rows}

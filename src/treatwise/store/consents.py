"""The consent ledger: one row per consent event, kept as long as the subscriber exists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from treatwise.store.database import Tx
from treatwise.store.tables import consents


@dataclass(frozen=True, slots=True)
class Consent:
    """One consent event."""

    event: str
    occurred_at: dt.datetime
    wording_version: str
    source: str
    ip_address: str | None


def record(
    tx: Tx,
    subscriber_id: int,
    *,
    event: str,
    now: dt.datetime,
    wording_version: str,
    source: str,
    ip_address: str | None,
) -> None:
    """Append one event (subscribe, confirm, unsubscribe, preferences, bounce)."""
    tx.execute(
        consents.insert().values(
            subscriber_id=subscriber_id,
            event=event,
            occurred_at=now,
            wording_version=wording_version,
            source=source[:200],
            ip_address=ip_address,
        )
    )


def for_subscriber(tx: Tx, subscriber_id: int) -> list[Consent]:
    """The subscriber's events, oldest first."""
    rows = tx.execute(
        select(consents)
        .where(consents.c.subscriber_id == subscriber_id)
        .order_by(consents.c.occurred_at, consents.c.id)
    )
    return [
        Consent(
            event=r.event,
            occurred_at=r.occurred_at,
            wording_version=r.wording_version,
            source=r.source,
            ip_address=r.ip_address,
        )
        for r in rows
    ]

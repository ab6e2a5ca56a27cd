"""Campaign rows: a newsletter issue (subject, Markdown body, optional interest)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from treatwise.store.database import Tx
from treatwise.store.tables import campaigns


@dataclass(frozen=True, slots=True)
class Campaign:
    """One campaign as stored."""

    id: int
    subject: str
    body_markdown: str
    interest: str | None
    kind: str
    digest_until: dt.datetime | None
    created_at: dt.datetime
    queued_at: dt.datetime | None


def _from_row(row: Any) -> Campaign:
    return Campaign(
        id=row.id,
        subject=row.subject,
        body_markdown=row.body_markdown,
        interest=row.interest,
        kind=row.kind,
        digest_until=row.digest_until,
        created_at=row.created_at,
        queued_at=row.queued_at,
    )


def insert(
    tx: Tx,
    *,
    subject: str,
    body_markdown: str,
    interest: str | None,
    now: dt.datetime,
    kind: str = "campaign",
    digest_until: dt.datetime | None = None,
) -> Campaign:
    """Add a campaign and return it."""
    result = tx.execute(
        campaigns.insert()
        .values(
            subject=subject,
            body_markdown=body_markdown,
            interest=interest,
            kind=kind,
            digest_until=digest_until,
            created_at=now,
        )
        .returning(campaigns.c.id)
    )
    campaign = get(tx, int(result.scalar_one()))
    assert campaign is not None
    return campaign


def get(tx: Tx, campaign_id: int) -> Campaign | None:
    """The campaign with this id, if any."""
    row = tx.execute(select(campaigns).where(campaigns.c.id == campaign_id)).first()
    return _from_row(row) if row else None


def get_many(tx: Tx, campaign_ids: set[int]) -> dict[int, Campaign]:
    """The campaigns with these ids, by id."""
    rows = tx.execute(select(campaigns).where(campaigns.c.id.in_(sorted(campaign_ids))))
    return {row.id: _from_row(row) for row in rows}


def mark_queued(tx: Tx, campaign_id: int, *, now: dt.datetime) -> None:
    """Stamp the first time the campaign was queued (later calls keep it)."""
    tx.execute(
        update(campaigns)
        .where(campaigns.c.id == campaign_id, campaigns.c.queued_at.is_(None))
        .values(queued_at=now)
    )


def last_digest(tx: Tx) -> Campaign | None:
    """The most recent digest, if any."""
    row = tx.execute(
        select(campaigns)
        .where(campaigns.c.kind == "digest")
        .order_by(campaigns.c.digest_until.desc(), campaigns.c.id.desc())
        .limit(1)
    ).first()
    return _from_row(row) if row else None


def all_campaigns(tx: Tx) -> list[Campaign]:
    """Every campaign, newest first."""
    return [_from_row(r) for r in tx.execute(select(campaigns).order_by(campaigns.c.id.desc()))]

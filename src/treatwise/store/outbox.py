"""The outbox: one row per message to send, claimed in batches by workers.

A row is *due* when its status is ``pending`` and ``next_attempt_at`` has passed.
Claiming a row pushes ``next_attempt_at`` forward by a lease, so a worker that
dies mid-batch leaves its rows to be claimed again once the lease ends: delivery
is at least once. ``attempts`` counts sends that were tried and failed, never
claims: a worker that crashes before sending (however often) costs a row
nothing. ``(campaign_id, subscriber_id)`` is unique, so a campaign can never be
queued twice for the same person. On PostgreSQL the claim uses
``FOR UPDATE SKIP LOCKED`` so that several workers take disjoint batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, literal, select, text, update

from treatwise.store._sql import insert_ignoring_conflicts
from treatwise.store.database import Tx
from treatwise.store.tables import UtcDateTime, outbox, subscribers


@dataclass(frozen=True, slots=True)
class Claimed:
    """A claimed outbox row with what it takes to compose the message."""

    id: int
    kind: str
    campaign_id: int | None
    attempts: int  # sends tried before this claim (failed ones; see the module doc)
    subscriber_id: int
    subscriber_key: str
    email: str
    subscriber_status: str


def enqueue(
    tx: Tx, *, kind: str, subscriber_id: int, now: dt.datetime, campaign_id: int | None = None
) -> None:
    """Queue one message, due now."""
    tx.execute(
        outbox.insert().values(
            kind=kind,
            subscriber_id=subscriber_id,
            campaign_id=campaign_id,
            status="pending",
            next_attempt_at=now,
            created_at=now,
        )
    )


def latest(tx: Tx, *, subscriber_id: int, kind: str) -> tuple[str, dt.datetime] | None:
    """Status and creation time of the subscriber's newest message of this kind."""
    row = tx.execute(
        select(outbox.c.status, outbox.c.created_at)
        .where(outbox.c.subscriber_id == subscriber_id, outbox.c.kind == kind)
        .order_by(outbox.c.id.desc())
        .limit(1)
    ).first()
    return (row.status, row.created_at) if row else None


def _wants(tx: Tx, interest: str) -> ColumnElement[bool]:
    # A subscriber with no interests gets everything; otherwise the interest must be listed.
    if tx.dialect.name == "postgresql":
        sql = (
            "(json_array_length(subscribers.interests) = 0"
            " OR subscribers.interests::jsonb @> jsonb_build_array(CAST(:interest AS text)))"
        )
    else:
        sql = (
            "(json_array_length(subscribers.interests) = 0 OR EXISTS (SELECT 1 FROM"
            " json_each(subscribers.interests) AS j WHERE j.value = :interest))"
        )
    return text(sql).bindparams(interest=interest)  # type: ignore[return-value]


def enqueue_campaign(tx: Tx, *, campaign_id: int, interest: str | None, now: dt.datetime) -> int:
    """Queue the campaign for every active subscriber not yet queued; return how many."""
    stamp = bindparam("now", now, type_=UtcDateTime())
    source = select(
        literal("campaign"),
        subscribers.c.id,
        literal(campaign_id),
        literal("pending"),
        literal(0),
        stamp,
        stamp,
    ).where(subscribers.c.status == "active")
    if interest is not None:
        source = source.where(_wants(tx, interest))
    columns = ["kind", "subscriber_id", "campaign_id", "status", "attempts"]
    stmt = insert_ignoring_conflicts(tx, outbox).from_select(
        [*columns, "next_attempt_at", "created_at"], source
    )
    # rowcount is unreliable for ON CONFLICT statements across drivers; count instead.
    queued = select(func.count()).where(outbox.c.campaign_id == campaign_id)
    before = int(tx.execute(queued).scalar_one())
    tx.execute(stmt)
    return int(tx.execute(queued).scalar_one()) - before


def claim_due(tx: Tx, *, now: dt.datetime, limit: int, lease: dt.timedelta) -> list[Claimed]:
    """Claim up to ``limit`` due rows for ``lease`` and return them with their recipients.

    The due ids first (an index range scan; SKIP LOCKED on PostgreSQL), then one
    UPDATE ... RETURNING on those ids, then one look-up of the recipients.
    """
    due = (
        select(outbox.c.id)
        .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now)
        .order_by(outbox.c.next_attempt_at, outbox.c.id)
        .limit(limit)
    )
    if tx.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(tx.execute(due).scalars())
    if not ids:
        return []
    claimed = tx.execute(
        update(outbox)
        .where(outbox.c.id.in_(ids))
        .values(next_attempt_at=now + lease)
        .returning(
            outbox.c.id,
            outbox.c.kind,
            outbox.c.campaign_id,
            outbox.c.attempts,
            outbox.c.subscriber_id,
        )
    ).all()
    return _with_recipients(tx, claimed)


def _with_recipients(tx: Tx, claimed: Sequence[Any]) -> list[Claimed]:
    if not claimed:
        return []
    people = {
        r.id: r
        for r in tx.execute(
            select(
                subscribers.c.id, subscribers.c.key, subscribers.c.email, subscribers.c.status
            ).where(subscribers.c.id.in_({r.subscriber_id for r in claimed}))
        )
    }
    return [
        Claimed(
            id=r.id,
            kind=r.kind,
            campaign_id=r.campaign_id,
            attempts=r.attempts,
            subscriber_id=r.subscriber_id,
            subscriber_key=people[r.subscriber_id].key,
            email=people[r.subscriber_id].email,
            subscriber_status=people[r.subscriber_id].status,
        )
        for r in sorted(claimed, key=lambda r: r.id)
    ]


def _pending(ids: Sequence[int]) -> ColumnElement[bool]:
    return and_(outbox.c.id.in_(list(ids)), outbox.c.status == "pending")


def mark_sent(tx: Tx, ids: Sequence[int], *, now: dt.datetime) -> None:
    """Record these messages as handed to the mail server."""
    if ids:
        tx.execute(update(outbox).where(_pending(ids)).values(status="sent", sent_at=now))


def reschedule(tx: Tx, row_id: int, *, error: str, at: dt.datetime) -> None:
    """A send was tried and failed for now: count the attempt, try again at ``at``."""
    tx.execute(
        update(outbox)
        .where(_pending([row_id]))
        .values(attempts=outbox.c.attempts + 1, next_attempt_at=at, last_error=error[:500])
    )


def fail(tx: Tx, row_id: int, *, error: str, tried: bool = True) -> None:
    """A permanent failure: never try again (``tried``: a send was tried, count it)."""
    tx.execute(
        update(outbox)
        .where(_pending([row_id]))
        .values(
            status="failed",
            last_error=error[:500],
            attempts=outbox.c.attempts + (1 if tried else 0),
        )
    )


def cancel(tx: Tx, ids: Sequence[int], *, reason: str) -> None:
    """Drop these messages unsent (e.g. the recipient unsubscribed after queueing)."""
    if ids:
        tx.execute(
            update(outbox).where(_pending(ids)).values(status="cancelled", last_error=reason)
        )


def cancel_for_subscriber(tx: Tx, subscriber_id: int, *, reason: str) -> None:
    """Drop every unsent message to this subscriber."""
    tx.execute(
        update(outbox)
        .where(outbox.c.subscriber_id == subscriber_id, outbox.c.status == "pending")
        .values(status="cancelled", last_error=reason)
    )


def extend(tx: Tx, ids: Sequence[int], *, until: dt.datetime) -> None:
    """Renew the lease on rows a live worker still holds."""
    if ids:
        tx.execute(update(outbox).where(_pending(ids)).values(next_attempt_at=until))


def release(tx: Tx, ids: Sequence[int], *, now: dt.datetime) -> None:
    """Give claimed, unsent rows back at once (clean shutdown)."""
    if ids:
        tx.execute(update(outbox).where(_pending(ids)).values(next_attempt_at=now))


def due_count(tx: Tx, *, now: dt.datetime) -> int:
    """How many rows are due now."""
    query = select(func.count()).where(
        outbox.c.status == "pending", outbox.c.next_attempt_at <= now
    )
    return int(tx.execute(query).scalar_one())


def pending_count(tx: Tx, *, campaign_id: int | None = None) -> int:
    """How many rows are still pending (due or not), optionally for one campaign."""
    query = select(func.count()).where(outbox.c.status == "pending")
    if campaign_id is not None:
        query = query.where(outbox.c.campaign_id == campaign_id)
    return int(tx.execute(query).scalar_one())


def counts(tx: Tx) -> list[tuple[int | None, str, str, int]]:
    """(campaign id, kind, status, count) for every group of rows."""
    query = select(outbox.c.campaign_id, outbox.c.kind, outbox.c.status, func.count()).group_by(
        outbox.c.campaign_id, outbox.c.kind, outbox.c.status
    )
    return [(c, k, s, int(n)) for c, k, s, n in tx.execute(query)]


def history(tx: Tx, *, subscriber_id: int) -> list[dict[str, object]]:
    """The subscriber's messages (kind, campaign, status, times), oldest first."""
    rows = tx.execute(
        select(
            outbox.c.kind,
            outbox.c.campaign_id,
            outbox.c.status,
            outbox.c.created_at,
            outbox.c.sent_at,
        )
        .where(outbox.c.subscriber_id == subscriber_id)
        .order_by(outbox.c.id)
    )
    return [
        {
            "kind": r.kind,
            "campaign_id": r.campaign_id,
            "status": r.status,
            "queued_at": r.created_at.isoformat(),
            "sent_at": r.sent_at.isoformat() if r.sent_at else None,
        }
        for r in rows
    ]

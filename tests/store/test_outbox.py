"""The outbox on SQLite and PostgreSQL: idempotent queueing, claims, leases, outcomes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from treatwise.store import Database, outbox, subscribers
from treatwise.store import campaigns as campaign_rows

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=5)


def _active(db: Database, n: int, *, interests: tuple[str, ...] = ()) -> list[int]:
    ids = []
    with db.begin() as tx:
        for i in range(n):
            row = subscribers.insert(
                tx,
                email=f"p{i}-{interests}@example.org",
                key=f"k{i}{interests}"[:32],
                interests=interests,
                now=NOW,
            )
            assert row is not None
            subscribers.set_status(tx, row.id, status="active", now=NOW)
            ids.append(row.id)
    return ids


def _campaign(db: Database, interest: str | None = None) -> int:
    with db.begin() as tx:
        return campaign_rows.insert(
            tx, subject="S", body_markdown="B", interest=interest, now=NOW
        ).id


def test_enqueue_campaign_is_idempotent(db: Database) -> None:
    _active(db, 5)
    with db.begin() as tx:
        pending = subscribers.insert(
            tx, email="pending@example.org", key="pend", interests=(), now=NOW
        )
        assert pending is not None
    cid = _campaign(db)
    with db.begin() as tx:
        assert outbox.enqueue_campaign(tx, campaign_id=cid, interest=None, now=NOW) == 5
    with db.begin() as tx:
        assert outbox.enqueue_campaign(tx, campaign_id=cid, interest=None, now=NOW) == 0
        assert outbox.pending_count(tx, campaign_id=cid) == 5


def test_unique_campaign_and_subscriber(db: Database) -> None:
    sid = _active(db, 1)[0]
    cid = _campaign(db)
    with db.begin() as tx:
        outbox.enqueue(tx, kind="campaign", subscriber_id=sid, campaign_id=cid, now=NOW)
    with pytest.raises(IntegrityError), db.begin() as tx:
        outbox.enqueue(tx, kind="campaign", subscriber_id=sid, campaign_id=cid, now=NOW)


def test_interest_targets_those_who_chose_it_or_chose_nothing(db: Database) -> None:
    _active(db, 2, interests=("acne-scars",))
    _active(db, 3, interests=("melasma",))
    _active(db, 1)
    cid = _campaign(db, "acne-scars")
    with db.begin() as tx:
        assert outbox.enqueue_campaign(tx, campaign_id=cid, interest="acne-scars", now=NOW) == 3


def test_claim_leases_rows_and_releases_them_after_the_lease(db: Database) -> None:
    _active(db, 7)
    cid = _campaign(db)
    with db.begin() as tx:
        outbox.enqueue_campaign(tx, campaign_id=cid, interest=None, now=NOW)
    with db.begin() as tx:
        first = outbox.claim_due(tx, now=NOW, limit=4, lease=LEASE)
    with db.begin() as tx:
        second = outbox.claim_due(tx, now=NOW, limit=4, lease=LEASE)
        assert outbox.claim_due(tx, now=NOW, limit=4, lease=LEASE) == []
    assert len(first) == 4 and len(second) == 3
    assert not {c.id for c in first} & {c.id for c in second}
    assert all(c.attempts == 0 and c.email.endswith("@example.org") for c in first)
    with db.begin() as tx:
        outbox.mark_sent(tx, [c.id for c in first], now=NOW)
    later = NOW + LEASE + dt.timedelta(seconds=1)
    with db.begin() as tx:
        again = outbox.claim_due(tx, now=later, limit=10, lease=LEASE)
    assert sorted(c.id for c in again) == sorted(c.id for c in second)
    assert all(c.attempts == 0 for c in again)  # a claim is not an attempt; a failed send is


def test_only_tried_sends_count_as_attempts(db: Database) -> None:
    _active(db, 1)
    cid = _campaign(db)
    with db.begin() as tx:
        outbox.enqueue_campaign(tx, campaign_id=cid, interest=None, now=NOW)
    at = NOW
    for _ in range(20):  # a crash loop: claimed, never sent, lease runs out, again
        with db.begin() as tx:
            (row,) = outbox.claim_due(tx, now=at, limit=10, lease=LEASE)
        at += LEASE + dt.timedelta(seconds=1)
    assert row.attempts == 0
    with db.begin() as tx:
        outbox.reschedule(tx, row.id, error="421 busy", at=at)
        (row,) = outbox.claim_due(tx, now=at, limit=10, lease=LEASE)
        outbox.release(tx, [row.id], now=at)  # a clean stop leaves the count alone
        (row,) = outbox.claim_due(tx, now=at, limit=10, lease=LEASE)
    assert row.attempts == 1


def test_outcomes(db: Database) -> None:
    _active(db, 4)
    cid = _campaign(db)
    with db.begin() as tx:
        outbox.enqueue_campaign(tx, campaign_id=cid, interest=None, now=NOW)
        rows = outbox.claim_due(tx, now=NOW, limit=10, lease=LEASE)
        a, b, c, d = (r.id for r in rows)
        outbox.mark_sent(tx, [a], now=NOW)
        outbox.reschedule(tx, b, error="421 busy", at=NOW + dt.timedelta(seconds=30))
        outbox.fail(tx, c, error="550 no such user")
        outbox.release(tx, [d], now=NOW)
        outbox.mark_sent(tx, [c], now=NOW)  # a failed row stays failed
    with db.begin() as tx:
        assert [r.id for r in outbox.claim_due(tx, now=NOW, limit=10, lease=LEASE)] == [d]
        soon = NOW + dt.timedelta(seconds=31)
        assert [r.id for r in outbox.claim_due(tx, now=soon, limit=10, lease=LEASE)] == [b]
        got = {(s, n) for _, _, s, n in outbox.counts(tx)}
    assert got == {("sent", 1), ("pending", 2), ("failed", 1)}


def test_deleting_a_subscriber_removes_their_rows(db: Database) -> None:
    sid = _active(db, 1)[0]
    with db.begin() as tx:
        outbox.enqueue(tx, kind="welcome", subscriber_id=sid, now=NOW)
        subscribers.delete_subscriber(tx, sid)
    with db.begin() as tx:
        assert outbox.counts(tx) == []

"""Subscribers, consents and suppressions on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from treatwise.store import Database, Tx, consents, outbox, subscribers, suppressions

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_insert_is_unique_by_address(db: Database) -> None:
    with db.begin() as tx:
        first = subscribers.insert(
            tx, email="a@example.org", key="k1", interests=["melasma"], now=NOW
        )
        again = subscribers.insert(tx, email="a@example.org", key="k2", interests=[], now=NOW)
    assert first is not None and again is None
    assert first.status == "pending" and first.interests == ("melasma",)
    assert first.created_at == NOW and first.created_at.tzinfo is not None


def test_status_changes_stamp_times(db: Database) -> None:
    with db.begin() as tx:
        row = subscribers.insert(tx, email="b@example.org", key="k", interests=[], now=NOW)
        assert row is not None
        subscribers.set_status(tx, row.id, status="active", now=NOW)
        later = NOW + dt.timedelta(days=1)
        subscribers.set_status(tx, row.id, status="unsubscribed", now=later)
        got = subscribers.get_by_key(tx, "k")
    assert got is not None
    assert (got.status, got.confirmed_at, got.unsubscribed_at) == ("unsubscribed", NOW, later)


def test_consent_ledger_goes_with_the_subscriber(db: Database) -> None:
    with db.begin() as tx:
        row = subscribers.insert(tx, email="c@example.org", key="k", interests=[], now=NOW)
        assert row is not None
        for event in ("subscribe", "confirm"):
            consents.record(
                tx,
                row.id,
                event=event,
                now=NOW,
                wording_version="v1",
                source="/newsletter",
                ip_address="203.0.113.9",
            )
        assert [c.event for c in consents.for_subscriber(tx, row.id)] == ["subscribe", "confirm"]
        subscribers.delete_subscriber(tx, row.id)
        assert consents.for_subscriber(tx, row.id) == []


def test_suppressions(db: Database) -> None:
    with db.begin() as tx:
        suppressions.add(tx, "ab" * 32, reason="forgotten", now=NOW)
        suppressions.add(tx, "ab" * 32, reason="forgotten", now=NOW)
        assert suppressions.contains(tx, "ab" * 32) and suppressions.count(tx) == 1
        suppressions.remove(tx, "ab" * 32)
        assert not suppressions.contains(tx, "ab" * 32)


def test_iterate_and_count(db: Database) -> None:
    with db.begin() as tx:
        for i in range(25):
            subscribers.insert(tx, email=f"x{i}@example.org", key=f"k{i}", interests=[], now=NOW)
        assert len(list(subscribers.iterate(tx, batch=7))) == 25
        assert subscribers.count_by_status(tx) == {"pending": 25}


def _sign_up(
    tx: Tx, email: str, *, at: dt.datetime, events: tuple[tuple[str, dt.datetime], ...] = ()
) -> int:
    row = subscribers.insert(tx, email=email, key=email.split("@")[0], interests=[], now=at)
    assert row is not None
    for event, when in (("subscribe", at), *events):
        consents.record(
            tx, row.id, event=event, now=when, wording_version="v1", source="/", ip_address=None
        )
    outbox.enqueue(tx, kind="confirm", subscriber_id=row.id, now=at)
    return row.id


def test_delete_stale_pending_keeps_recent_and_once_confirmed(db: Database) -> None:
    old, cutoff = NOW - dt.timedelta(days=40), NOW - dt.timedelta(days=30)
    with db.begin() as tx:
        stale = _sign_up(tx, "stale@example.org", at=old)
        _sign_up(tx, "fresh@example.org", at=NOW - dt.timedelta(days=2))
        _sign_up(tx, "again@example.org", at=old, events=(("subscribe", NOW),))  # asked again
        back = _sign_up(tx, "back@example.org", at=old, events=(("confirm", old),))
        subscribers.set_status(tx, back, status="pending", now=old)  # former subscriber
        active = _sign_up(tx, "active@example.org", at=old)
        subscribers.set_status(tx, active, status="active", now=old)
        assert subscribers.delete_stale_pending(tx, before=cutoff) == 1
        assert subscribers.get(tx, stale) is None
        assert consents.for_subscriber(tx, stale) == []
        assert outbox.latest(tx, subscriber_id=stale, kind="confirm") is None
        left = {s.email for s in subscribers.iterate(tx)}
        assert left == {f"{n}@example.org" for n in ("fresh", "again", "back", "active")}
        assert subscribers.delete_stale_pending(tx, before=cutoff) == 0  # idempotent

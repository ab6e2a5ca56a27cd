"""Subscribers, consents and suppressions on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from treatwise.store import Database, consents, subscribers, suppressions

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

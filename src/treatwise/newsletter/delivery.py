"""The worker's bookkeeping in the database: claim a batch, record outcomes.

Plain functions with no worker state, so the worker can run them in a thread
while it keeps talking to the mail server. Claims and "sent" marks use relaxed
durability (a database crash can undo them; that only causes a resend).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from treatwise.newsletter import addresses
from treatwise.newsletter.context import Newsletter
from treatwise.store import campaigns, consents, outbox, subscribers, suppressions
from treatwise.store.campaigns import Campaign
from treatwise.store.outbox import Claimed

WANTED_STATUS = {
    "confirm": {"pending"},
    "welcome": {"active"},
    "campaign": {"active"},
    "data-link": {"pending", "active", "unsubscribed"},  # asked for by the holder
}


@dataclass(slots=True)
class Batch:
    """Claimed rows still worth sending, their campaigns, and what was dropped."""

    rows: list[Claimed] = field(default_factory=list)
    campaigns: dict[int, Campaign] = field(default_factory=dict)
    cancelled: int = 0
    failed: int = 0


def claim(nl: Newsletter, *, limit: int, lease: dt.timedelta, max_attempts: int) -> Batch:
    """Claim due rows; cancel those whose recipient left or is suppressed.

    Rows tried ``max_attempts`` times already (possible when the limit was lowered
    since) are failed here, unsent; a claim alone never counts as an attempt.
    """
    with nl.db.begin_relaxed() as tx:
        rows = outbox.claim_due(tx, now=nl.now(), limit=limit, lease=lease)
        if not rows:
            return Batch()
        wanted = {r.campaign_id for r in rows if r.campaign_id is not None}
        batch = Batch(campaigns=campaigns.get_many(tx, wanted) if wanted else {})
        hashes = {r.id: addresses.suppression_hash(nl.secret, r.email) for r in rows}
        suppressed = suppressions.matching(tx, set(hashes.values()))
        drop, give_up = [], []
        for r in rows:
            if r.attempts >= max_attempts:
                give_up.append(r.id)
            elif (
                r.subscriber_status not in WANTED_STATUS[r.kind]
                or (r.kind != "confirm" and hashes[r.id] in suppressed)
                or (r.campaign_id is not None and r.campaign_id not in batch.campaigns)
            ):
                drop.append(r.id)
            else:
                batch.rows.append(r)
        outbox.cancel(tx, drop, reason="recipient no longer eligible")
        for row_id in give_up:
            outbox.fail(tx, row_id, error=f"gave up after {max_attempts} attempts", tried=False)
    batch.cancelled, batch.failed = len(drop), len(give_up)
    return batch


def mark_sent(nl: Newsletter, ids: Sequence[int]) -> None:
    """Record messages as handed over."""
    with nl.db.begin_relaxed() as tx:
        outbox.mark_sent(tx, ids, now=nl.now())


def extend(nl: Newsletter, ids: Sequence[int], *, lease: dt.timedelta) -> None:
    """Renew the lease on rows still held."""
    with nl.db.begin_relaxed() as tx:
        outbox.extend(tx, ids, until=nl.now() + lease)


def release(nl: Newsletter, ids: Sequence[int]) -> None:
    """Give unsent rows back, due at once."""
    with nl.db.begin() as tx:
        outbox.release(tx, ids, now=nl.now())


def retry_or_fail(
    nl: Newsletter, row: Claimed, error: str, *, at: dt.datetime, max_attempts: int
) -> bool:
    """A tried send failed for now: retry at ``at`` or, at ``max_attempts``, fail; True: retry."""
    tried = row.attempts + 1
    with nl.db.begin() as tx:
        if tried >= max_attempts:
            outbox.fail(tx, row.id, error=f"{error} (after {tried} attempts)")
            return False
        outbox.reschedule(tx, row.id, error=error, at=at)
        return True


def bounce(nl: Newsletter, row: Claimed, error: str) -> None:
    """A permanent rejection: fail the row, mark the subscriber bounced, drop their mail."""
    now = nl.now()
    with nl.db.begin() as tx:
        outbox.fail(tx, row.id, error=error)
        sub = subscribers.get(tx, row.subscriber_id)
        if sub is not None and sub.status in ("pending", "active"):
            subscribers.set_status(tx, sub.id, status="bounced", now=now)
            consents.record(
                tx,
                sub.id,
                event="bounce",
                now=now,
                wording_version="-",
                source=f"smtp: {error}",
                ip_address=None,
            )
        outbox.cancel_for_subscriber(tx, row.subscriber_id, reason="bounced")

"""How long unconfirmed sign-ups are kept: ``purge_pending`` deletes the stale ones.

A sign-up that was never confirmed is not consent: we may send it the one
confirmation it asked for and nothing else, so keeping the address, the IP
address and the page beyond that serves no purpose (GDPR Art. 5(1)(c) and (e),
data minimisation and storage limitation). Its consent-ledger rows are deleted
with it: the duty to demonstrate consent (Art. 7(1)) covers consent we rely on,
and we never relied on this one. A person who once confirmed and later asked
again without confirming keeps their row and ledger, which record the consent
their earlier mail was sent under; they are kept like unsubscribed people.
A suppression (an address that asked to be forgotten) is never touched.
"""

from __future__ import annotations

import datetime as dt

from treatwise.newsletter import tokens
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.errors import InvalidInput
from treatwise.store import subscribers

DEFAULT_PENDING_DAYS = 30


def shortest_pending_days() -> int:
    """The least age allowed: a confirmation link must stay usable for its whole life."""
    lifetime = tokens.MAX_AGE["confirm"]
    assert lifetime is not None
    return max(1, -(-lifetime // dt.timedelta(days=1)))  # whole days, rounded up


def purge_pending(nl: Newsletter, *, older_than_days: int = DEFAULT_PENDING_DAYS) -> int:
    """Delete never-confirmed sign-ups with no activity for ``older_than_days``; how many."""
    least = shortest_pending_days()
    if older_than_days < least:
        raise InvalidInput(
            "older-than-days",
            f"{older_than_days} is too short; use {least} or more "
            f"(a confirmation link is valid for {least} days)",
        )
    before = nl.now() - dt.timedelta(days=older_than_days)
    with nl.db.begin() as tx:
        return subscribers.delete_stale_pending(tx, before=before)

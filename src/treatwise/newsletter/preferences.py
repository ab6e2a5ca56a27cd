"""Self-service: a manage token changes interests; a data token exports or forgets.

The manage link rides in every email and may be forwarded, so it cannot reach
the data: its holder may ask for a data link (:func:`send_data_link`), which is
mailed to the subscriber's own address and works for one hour (``tokens.py``).

The CLI reaches the same export and forget by address. Forgetting deletes every
row about the person and keeps only a keyed hash of the address (suppression),
so that the address is never mailed by mistake again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from treatwise.newsletter import addresses, tokens
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.errors import InvalidToken, NotFound
from treatwise.newsletter.subscriptions import (
    RESEND_AFTER,
    Visit,
    check_interests,
    record_consent,
)
from treatwise.store import Tx, consents, outbox, subscribers, suppressions
from treatwise.store.subscribers import Subscriber


@dataclass(frozen=True, slots=True)
class Preferences:
    """What the preferences page shows."""

    email: str
    status: str
    interests: tuple[str, ...]
    unsubscribe_url: str


def _preferences(nl: Newsletter, sub: Subscriber, interests: tuple[str, ...]) -> Preferences:
    link = nl.link("/newsletter/unsubscribe", "unsubscribe", key=sub.key)
    return Preferences(sub.email, sub.status, interests, link)


def _holder(nl: Newsletter, tx: Tx, token: object, purpose: str = "manage") -> Subscriber:
    key, _issued = tokens.read(nl.secret, purpose, token, now=nl.now())
    sub = subscribers.get_by_key(tx, key)
    if sub is None:
        raise InvalidToken("no longer valid")
    return sub


def show(nl: Newsletter, *, token: object, purpose: str = "manage") -> Preferences:
    """The holder's address, status and interests (a ``manage`` or a ``data`` token)."""
    with nl.db.begin() as tx:
        sub = _holder(nl, tx, token, purpose)
    return _preferences(nl, sub, sub.interests)


def send_data_link(nl: Newsletter, *, token: object) -> None:
    """Queue an email with a one-hour data link to the manage token's holder.

    One is queued at most every ``RESEND_AFTER`` (a forwarded manage link cannot
    flood the subscriber's inbox); the answer is the same either way.
    """
    now = nl.now()
    with nl.db.begin() as tx:
        sub = _holder(nl, tx, token)
        last = outbox.latest(tx, subscriber_id=sub.id, kind="data-link")
        if last is None or (last[0] != "pending" and now - last[1] >= RESEND_AFTER):
            outbox.enqueue(tx, kind="data-link", subscriber_id=sub.id, now=now)


def update(nl: Newsletter, *, token: object, interests: list[object], visit: Visit) -> Preferences:
    """Replace the token holder's interests (validated) and log the change."""
    chosen = check_interests(nl, interests)
    now = nl.now()
    with nl.db.begin() as tx:
        sub = _holder(nl, tx, token)
        if chosen != sub.interests:
            subscribers.set_interests(tx, sub.id, interests=chosen)
            record_consent(tx, sub.id, event="preferences", visit=visit, now=now)
    return _preferences(nl, sub, chosen)


def export(nl: Newsletter, *, token: object) -> dict[str, Any]:
    """Everything stored about a data token's holder, as JSON-ready values."""
    with nl.db.begin() as tx:
        return _export(tx, _holder(nl, tx, token, "data"))


def export_address(nl: Newsletter, *, email: object) -> dict[str, Any]:
    """Everything stored about an address (CLI); NotFound when there is nothing."""
    address = addresses.normalise(email)
    with nl.db.begin() as tx:
        sub = subscribers.get_by_email(tx, address)
        if sub is None:
            raise NotFound(f"no subscriber with the address {address}")
        return _export(tx, sub)


def _export(tx: Tx, sub: Subscriber) -> dict[str, Any]:
    def stamp(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "email": sub.email,
        "status": sub.status,
        "interests": list(sub.interests),
        "created_at": stamp(sub.created_at),
        "confirmed_at": stamp(sub.confirmed_at),
        "unsubscribed_at": stamp(sub.unsubscribed_at),
        "consents": [
            {
                "event": c.event,
                "at": stamp(c.occurred_at),
                "wording_version": c.wording_version,
                "source": c.source,
                "ip_address": c.ip_address,
            }
            for c in consents.for_subscriber(tx, sub.id)
        ],
        "messages": outbox.history(tx, subscriber_id=sub.id),
    }


def forget(nl: Newsletter, *, token: object) -> None:
    """Delete a data token holder's data, keeping only the suppression hash."""
    with nl.db.begin() as tx:
        _forget(nl, tx, _holder(nl, tx, token, "data"))


def forget_address(nl: Newsletter, *, email: object) -> bool:
    """Forget an address (CLI); suppressed even if it was never subscribed. True if a row went."""
    address = addresses.normalise(email)
    with nl.db.begin() as tx:
        sub = subscribers.get_by_email(tx, address)
        if sub is not None:
            _forget(nl, tx, sub)
        else:
            suppressions.add(
                tx,
                addresses.suppression_hash(nl.secret, address),
                reason="forgotten",
                now=nl.now(),
            )
        return sub is not None


def _forget(nl: Newsletter, tx: Tx, sub: Subscriber) -> None:
    hashed = addresses.suppression_hash(nl.secret, sub.email)
    suppressions.add(tx, hashed, reason="forgotten", now=nl.now())
    subscribers.delete_subscriber(tx, sub.id)  # consents and outbox rows cascade


def export_all(nl: Newsletter) -> Iterator[dict[str, Any]]:
    """Everything stored about every subscriber, one dict each, in id order (CLI)."""
    with nl.db.begin() as tx:
        for sub in subscribers.iterate(tx):
            yield _export(tx, sub)

"""Sign-up with double opt-in, confirmation and one-click unsubscribe.

Every state change records a consent event and queues its email in the same
transaction. ``subscribe`` behaves identically from the outside whether the
address is new, pending, active or gone, so nobody can learn who subscribed.
A forgotten (suppressed) address may sign up again, but only through the same
double opt-in: it gets the confirmation it asked for, and nothing else until the
link is used, which lifts the suppression.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from treatwise.newsletter import addresses, tokens
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.errors import InvalidInput, InvalidToken
from treatwise.store import Tx, consents, outbox, subscribers, suppressions
from treatwise.store.subscribers import Subscriber

CONSENT_VERSION = "2026-01"
CONSENT_TEXT = (
    "Send me Treatwise's beauty resources, tips and news by email. I can unsubscribe "
    "at any time with one click; my address is used for nothing else."
)
RESEND_AFTER = dt.timedelta(minutes=10)
MAX_INTERESTS = 50


@dataclass(frozen=True, slots=True)
class Visit:
    """Where a request came from, for the consent ledger."""

    source: str
    ip_address: str | None = None


def record_consent(
    tx: Tx, subscriber_id: int, *, event: str, visit: Visit, now: dt.datetime
) -> None:
    """Write one consent-ledger event with the current wording version and the visit."""
    consents.record(
        tx,
        subscriber_id,
        event=event,
        now=now,
        wording_version=CONSENT_VERSION,
        source=visit.source,
        ip_address=visit.ip_address,
    )


def check_interests(nl: Newsletter, chosen: Iterable[object]) -> tuple[str, ...]:
    """The chosen interests, de-duplicated and in order; InvalidInput names unknown ones."""
    picked = list(dict.fromkeys(chosen))
    unknown = [str(i)[:64] for i in picked if not isinstance(i, str) or i not in nl.interests]
    if unknown or len(picked) > MAX_INTERESTS:
        valid = ", ".join(sorted(nl.interests)) or "(none configured)"
        raise InvalidInput("interests", f"unknown {', '.join(unknown)}; valid: {valid}")
    return tuple(str(i) for i in picked)


@dataclass(frozen=True, slots=True)
class SignUp:
    """A sign-up that passed validation: the normalised address and the chosen topics."""

    email: str
    interests: tuple[str, ...]


def check_sign_up(nl: Newsletter, *, email: object, interests: Iterable[object]) -> SignUp:
    """Validate a sign-up without touching the database (InvalidInput names the field).

    The same work for every address, whatever its state: a web handler answers
    after this and leaves :func:`record_sign_up` (whose work does depend on the
    state) to run after the response, so response times tell nobody who subscribed.
    """
    return SignUp(addresses.normalise(email), check_interests(nl, interests))


def record_sign_up(nl: Newsletter, sign_up: SignUp, *, visit: Visit) -> None:
    """Start the subscription (or restart one) and queue the confirmation email."""
    now = nl.now()
    with nl.db.begin() as tx:
        found = subscribers.get_by_email(tx, sign_up.email)
        if found is None:
            key = secrets.token_hex(16)
            found = subscribers.insert(
                tx, email=sign_up.email, key=key, interests=sign_up.interests, now=now
            )
            if found is None:  # a concurrent sign-up won the race; carry on with its row
                found = subscribers.get_by_email(tx, sign_up.email)
        assert found is not None
        if found.status == "active":
            return  # already subscribed: change nothing, mail nothing
        _ask_for_confirmation(tx, found, interests=sign_up.interests, visit=visit, now=now)


def subscribe(nl: Newsletter, *, email: object, interests: Iterable[object], visit: Visit) -> None:
    """Validate and record a sign-up at once (the CLI and tests; web handlers split the two)."""
    record_sign_up(nl, check_sign_up(nl, email=email, interests=interests), visit=visit)


def _ask_for_confirmation(
    tx: Tx, sub: Subscriber, *, interests: tuple[str, ...], visit: Visit, now: dt.datetime
) -> None:
    if sub.status != "pending":  # unsubscribed or bounced, and asking again
        subscribers.set_status(tx, sub.id, status="pending", now=now)
    subscribers.set_interests(tx, sub.id, interests=interests)
    record_consent(tx, sub.id, event="subscribe", visit=visit, now=now)
    last = outbox.latest(tx, subscriber_id=sub.id, kind="confirm")
    if last is not None and (last[0] == "pending" or now - last[1] < RESEND_AFTER):
        return  # one is on its way or was just sent: a double submit sends no second mail
    outbox.enqueue(tx, kind="confirm", subscriber_id=sub.id, now=now)


ConfirmOutcome = Literal["confirmed", "already-confirmed", "not-subscribed"]


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What confirming did, and the holder's preferences link."""

    outcome: ConfirmOutcome
    manage_url: str


def check_link(nl: Newsletter, *, purpose: str, token: object) -> None:
    """Raise InvalidToken unless ``token`` is a valid ``purpose`` link (pages that only ask)."""
    tokens.read(nl.secret, purpose, token, now=nl.now())


def confirm(nl: Newsletter, *, token: object, visit: Visit) -> Confirmation:
    """Activate the subscription named by a confirmation token and queue the welcome email."""
    now = nl.now()
    key, _issued = tokens.read(nl.secret, "confirm", token, now=now)
    with nl.db.begin() as tx:
        sub = subscribers.get_by_key(tx, key)
        if sub is None:
            raise InvalidToken("no longer valid")
        outcome = _confirm_row(nl, tx, sub, visit=visit, now=now)
    return Confirmation(outcome, nl.link("/newsletter/preferences", "manage", key=key))


def _confirm_row(
    nl: Newsletter, tx: Tx, sub: Subscriber, *, visit: Visit, now: dt.datetime
) -> ConfirmOutcome:
    if sub.status == "active":
        return "already-confirmed"
    if sub.status != "pending":
        return "not-subscribed"  # an old link after unsubscribing does not resubscribe
    subscribers.set_status(tx, sub.id, status="active", now=now)
    record_consent(tx, sub.id, event="confirm", visit=visit, now=now)
    suppressions.remove(tx, addresses.suppression_hash(nl.secret, sub.email))
    outbox.enqueue(tx, kind="welcome", subscriber_id=sub.id, now=now)
    return "confirmed"


def unsubscribe(nl: Newsletter, *, token: object, visit: Visit) -> bool:
    """Unsubscribe the holder of an unsubscribe token; True if this call changed anything."""
    now = nl.now()
    key, _issued = tokens.read(nl.secret, "unsubscribe", token, now=now)
    with nl.db.begin() as tx:
        sub = subscribers.get_by_key(tx, key)
        if sub is None or sub.status in ("unsubscribed", "bounced"):
            return False  # already gone: a replayed unsubscribe is a no-op
        unsubscribe_row(tx, sub, visit=visit, now=now)
        return True


def unsubscribe_address(nl: Newsletter, *, email: object, visit: Visit) -> bool:
    """Unsubscribe an address for the operator (a ``mailto:`` request); True if it changed anything.

    Pending sign-ups are unsubscribed too (their confirmation mail is dropped);
    the data stays, as after a link unsubscribe (``forget`` deletes it).
    """
    address = addresses.normalise(email)
    with nl.db.begin() as tx:
        sub = subscribers.get_by_email(tx, address)
        if sub is None or sub.status in ("unsubscribed", "bounced"):
            return False
        unsubscribe_row(tx, sub, visit=visit, now=nl.now())
        return True


def unsubscribe_row(tx: Tx, sub: Subscriber, *, visit: Visit, now: dt.datetime) -> None:
    """Mark the subscriber unsubscribed, log it and drop their unsent mail."""
    subscribers.set_status(tx, sub.id, status="unsubscribed", now=now)
    record_consent(tx, sub.id, event="unsubscribe", visit=visit, now=now)
    outbox.cancel_for_subscriber(tx, sub.id, reason="unsubscribed")

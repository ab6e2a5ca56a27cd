"""Double opt-in, confirmation, unsubscribe: the flows and their bad inputs (memory mailer)."""

from __future__ import annotations

import pytest
from support.nlkit import Clock, link, work

from treatwise.newsletter import subscriptions, tokens
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.errors import InvalidInput, InvalidToken
from treatwise.newsletter.mailers import MemoryMailer
from treatwise.newsletter.subscriptions import Visit
from treatwise.store import consents, outbox, subscribers

VISIT = Visit(source="/newsletter", ip_address="203.0.113.7")


def _row(nl: Newsletter, email: str) -> subscribers.Subscriber | None:
    with nl.db.begin() as tx:
        return subscribers.get_by_email(tx, email)


def _snapshot(nl: Newsletter) -> tuple[object, ...]:
    with nl.db.begin() as tx:
        subs = list(subscribers.iterate(tx))
        return (subs, outbox.counts(tx), [consents.for_subscriber(tx, s.id) for s in subs])


def test_sign_up_confirm_and_welcome(nl: Newsletter, mailer: MemoryMailer) -> None:
    subscriptions.subscribe(nl, email=" Ada@Example.ORG ", interests=["melasma"], visit=VISIT)
    row = _row(nl, "ada@example.org")
    assert row is not None and row.status == "pending" and row.interests == ("melasma",)
    work(nl, mailer)
    [confirm_mail] = mailer.sent
    assert confirm_mail.kind == "confirm" and confirm_mail.recipient == "ada@example.org"
    done = subscriptions.confirm(nl, token=link(confirm_mail, "/newsletter/confirm"), visit=VISIT)
    assert done.outcome == "confirmed"
    assert "/newsletter/preferences?token=" in done.manage_url
    work(nl, mailer)
    assert [m.kind for m in mailer.sent] == ["confirm", "welcome"]
    row = _row(nl, "ada@example.org")
    assert row is not None and row.status == "active" and row.confirmed_at == nl.now()
    with nl.db.begin() as tx:
        ledger = consents.for_subscriber(tx, row.id)
    assert [(c.event, c.ip_address, c.wording_version) for c in ledger] == [
        ("subscribe", "203.0.113.7", subscriptions.CONSENT_VERSION),
        ("confirm", "203.0.113.7", subscriptions.CONSENT_VERSION),
    ]


def test_confirm_twice_is_harmless(nl: Newsletter, mailer: MemoryMailer) -> None:
    subscriptions.subscribe(nl, email="b@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    token = link(mailer.sent[0], "/newsletter/confirm")
    assert subscriptions.confirm(nl, token=token, visit=VISIT).outcome == "confirmed"
    assert subscriptions.confirm(nl, token=token, visit=VISIT).outcome == "already-confirmed"
    work(nl, mailer)
    assert [m.kind for m in mailer.sent] == ["confirm", "welcome"]  # one welcome only


def test_known_and_new_addresses_get_the_same_answer(nl: Newsletter, mailer: MemoryMailer) -> None:
    subscriptions.subscribe(nl, email="known@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    subscriptions.confirm(nl, token=link(mailer.sent[0], "/newsletter/confirm"), visit=VISIT)
    work(nl, mailer)
    before = _snapshot(nl)
    # an active address: same (None) answer, and nothing changes, not even interests
    assert (
        subscriptions.subscribe(nl, email="known@example.org", interests=["melasma"], visit=VISIT)
        is None
    )
    assert _snapshot(nl) == before
    work(nl, mailer)
    assert len(mailer.sent) == 2


def test_double_submit_sends_one_confirmation(
    nl: Newsletter, mailer: MemoryMailer, clock: Clock
) -> None:
    for _ in range(3):
        subscriptions.subscribe(nl, email="c@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    subscriptions.subscribe(nl, email="c@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    assert len(mailer.sent) == 1
    clock.advance(minutes=11)  # asking again later sends a fresh link
    subscriptions.subscribe(nl, email="c@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    assert len(mailer.sent) == 2


@pytest.mark.parametrize(
    ("email", "words"),
    [
        ("", "required"),
        ("not-an-address", "not a valid"),
        ("a@b", "not a valid"),
        ("x" * 250 + "@example.org", "at most 254"),
        ("a" * 65 + "@example.org", "not a valid"),
        (None, "required"),
        (["a@example.org"], "required"),
    ],
)
def test_bad_addresses_are_refused_with_the_field_named(
    nl: Newsletter, email: object, words: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        subscriptions.subscribe(nl, email=email, interests=[], visit=VISIT)
    assert caught.value.field == "email" and words in caught.value.message
    assert _snapshot(nl) == ([], [], [])


def test_unknown_interests_are_refused_with_the_valid_ones(nl: Newsletter) -> None:
    with pytest.raises(InvalidInput) as caught:
        subscriptions.subscribe(nl, email="d@example.org", interests=["botox"], visit=VISIT)
    assert caught.value.field == "interests"
    assert "botox" in caught.value.message and "melasma" in caught.value.message
    assert _row(nl, "d@example.org") is None


@pytest.mark.parametrize("token", ["", "garbage", "a" * 600, None, 42])
def test_forged_or_malformed_tokens(nl: Newsletter, token: object) -> None:
    with pytest.raises(InvalidToken):
        subscriptions.confirm(nl, token=token, visit=VISIT)
    with pytest.raises(InvalidToken):
        subscriptions.unsubscribe(nl, token=token, visit=VISIT)


def test_tokens_are_bound_to_purpose_and_secret(nl: Newsletter, mailer: MemoryMailer) -> None:
    subscriptions.subscribe(nl, email="e@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    unsubscribe = link(mailer.sent[0], "/newsletter/unsubscribe")
    with pytest.raises(InvalidToken):
        subscriptions.confirm(nl, token=unsubscribe, visit=VISIT)
    row = _row(nl, "e@example.org")
    assert row is not None
    other = tokens.make("another-secret", "confirm", key=row.key, now=nl.now())
    with pytest.raises(InvalidToken):
        subscriptions.confirm(nl, token=other, visit=VISIT)
    assert _row(nl, "e@example.org") == row


def test_expired_confirmation(nl: Newsletter, mailer: MemoryMailer, clock: Clock) -> None:
    subscriptions.subscribe(nl, email="f@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    clock.advance(days=8)
    with pytest.raises(InvalidToken) as caught:
        subscriptions.confirm(nl, token=link(mailer.sent[0], "/newsletter/confirm"), visit=VISIT)
    assert caught.value.reason == "expired"
    row = _row(nl, "f@example.org")
    assert row is not None and row.status == "pending"


def test_unsubscribe_is_idempotent_and_cancels_queued_mail(
    nl: Newsletter, mailer: MemoryMailer
) -> None:
    subscriptions.subscribe(nl, email="g@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    subscriptions.confirm(nl, token=link(mailer.sent[0], "/newsletter/confirm"), visit=VISIT)
    token = link(mailer.sent[0], "/newsletter/unsubscribe")
    assert subscriptions.unsubscribe(nl, token=token, visit=VISIT) is True
    assert subscriptions.unsubscribe(nl, token=token, visit=VISIT) is False  # replayed
    work(nl, mailer)
    assert [m.kind for m in mailer.sent] == ["confirm"]  # the welcome was cancelled
    row = _row(nl, "g@example.org")
    assert row is not None and row.status == "unsubscribed"
    # an old confirmation link does not subscribe again
    again = subscriptions.confirm(
        nl, token=link(mailer.sent[0], "/newsletter/confirm"), visit=VISIT
    )
    assert again.outcome == "not-subscribed"


def test_coming_back_after_unsubscribing_needs_a_new_confirmation(
    nl: Newsletter, mailer: MemoryMailer
) -> None:
    subscriptions.subscribe(nl, email="h@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    subscriptions.unsubscribe(
        nl, token=link(mailer.sent[0], "/newsletter/unsubscribe"), visit=VISIT
    )
    subscriptions.subscribe(nl, email="h@example.org", interests=["hair-loss"], visit=VISIT)
    row = _row(nl, "h@example.org")
    assert row is not None and row.status == "pending" and row.interests == ("hair-loss",)


def test_international_addresses_get_utf8_mail(nl: Newsletter, mailer: MemoryMailer) -> None:
    subscriptions.subscribe(nl, email="Jürgen@Bücher.example", interests=[], visit=VISIT)
    assert _row(nl, "jürgen@bücher.example") is not None
    work(nl, mailer)
    [sent] = mailer.sent
    assert sent.recipient == "jürgen@bücher.example"
    assert sent.message["To"] == "jürgen@bücher.example"
    assert link(sent, "/newsletter/confirm")


def test_a_forgotten_address_comes_back_only_through_double_opt_in(
    nl: Newsletter, mailer: MemoryMailer
) -> None:
    from treatwise.newsletter import campaigns, preferences
    from treatwise.newsletter.addresses import suppression_hash
    from treatwise.store import suppressions

    assert preferences.forget_address(nl, email="back@example.org") is False  # never subscribed
    hashed = suppression_hash(nl.secret, "back@example.org")
    subscriptions.subscribe(nl, email="back@example.org", interests=[], visit=VISIT)
    work(nl, mailer)
    assert [m.kind for m in mailer.sent] == ["confirm"]
    with nl.db.begin() as tx:
        assert suppressions.contains(tx, hashed)  # still suppressed until confirmed
    subscriptions.confirm(nl, token=link(mailer.sent[0], "/newsletter/confirm"), visit=VISIT)
    with nl.db.begin() as tx:
        assert not suppressions.contains(tx, hashed)
    created = campaigns.create(nl, subject="Back", body_markdown="Welcome back")
    assert campaigns.queue(nl, campaign_id=created.id) == 1
    work(nl, mailer)
    assert [m.kind for m in mailer.sent] == ["confirm", "welcome", "campaign"]

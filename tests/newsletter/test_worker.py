"""The outbox worker: backoff, bounces, cancellations, pacing, clean stop, SMTP reuse."""

from __future__ import annotations

import asyncio
import time

import pytest
from support.nlkit import Clock, Sink, work

from treatwise.newsletter import campaigns, subscriptions
from treatwise.newsletter.addresses import suppression_hash
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import (
    MemoryMailer,
    PermanentMailError,
    SmtpMailer,
    TransientMailError,
    parse_smtp_url,
)
from treatwise.newsletter.worker import Worker, WorkerOptions, backoff
from treatwise.store import consents, outbox, subscribers, suppressions

VISIT = subscriptions.Visit("/test", "192.0.2.1")


def _active(nl: Newsletter, *emails: str) -> None:
    """Subscribe and confirm these addresses, and clear the outbox of their mail."""
    for email in emails:
        subscriptions.subscribe(nl, email=email, interests=[], visit=VISIT)
    with nl.db.begin() as tx:
        for sub in subscribers.iterate(tx):
            subscribers.set_status(tx, sub.id, status="active", now=nl.now())
            outbox.cancel_for_subscriber(tx, sub.id, reason="test setup")


def _campaign(nl: Newsletter) -> int:
    created = campaigns.create(nl, subject="News", body_markdown="Body")
    campaigns.queue(nl, campaign_id=created.id)
    return created.id


def _statuses(nl: Newsletter) -> dict[str, int]:
    with nl.db.begin() as tx:
        return {s: n for c, _, s, n in outbox.counts(tx) if c is not None}


def test_transient_failures_back_off_then_succeed(nl: Newsletter, clock: Clock) -> None:
    _active(nl, "a@example.org", "b@example.org")
    _campaign(nl)
    mailer = MemoryMailer(failures={"a@example.org": TransientMailError("421 try later")})
    stats = work(nl, mailer)
    assert (stats.sent, stats.retried) == (1, 1)
    assert _statuses(nl) == {"sent": 1, "pending": 1}
    assert work(nl, mailer).sent == 0  # not due yet
    clock.advance(seconds=30)
    mailer.failures.clear()
    assert work(nl, mailer).sent == 1
    assert _statuses(nl) == {"sent": 2}


def test_backoff_doubles_and_is_capped() -> None:
    options = WorkerOptions()
    delays = [backoff(options, n).total_seconds() for n in (1, 2, 3, 4)]
    assert delays == [30, 60, 120, 240]
    assert backoff(options, 40) == options.backoff_cap


def test_gives_up_after_max_attempts(nl: Newsletter, clock: Clock) -> None:
    _active(nl, "a@example.org")
    _campaign(nl)
    mailer = MemoryMailer(failures={"a@example.org": TransientMailError("timeout")})
    for _ in range(3):
        work(nl, mailer, max_attempts=3)
        clock.advance(hours=7)
    assert _statuses(nl) == {"failed": 1}
    with nl.db.begin() as tx:
        row = subscribers.get_by_email(tx, "a@example.org")
    assert row is not None and row.status == "active"  # a timeout is not a bounce


def test_permanent_rejection_marks_the_subscriber_bounced(nl: Newsletter) -> None:
    _active(nl, "gone@example.org", "ok@example.org")
    first, second = _campaign(nl), _campaign(nl)
    mailer = MemoryMailer(failures={"gone@example.org": PermanentMailError("550 no such user")})
    stats = work(nl, mailer, batch_size=1)
    assert stats.bounced == 1 and stats.sent == 2
    with nl.db.begin() as tx:
        gone = subscribers.get_by_email(tx, "gone@example.org")
        assert gone is not None and gone.status == "bounced"
        assert [c.event for c in consents.for_subscriber(tx, gone.id)][-1] == "bounce"
        by_campaign = {(c, s): n for c, _, s, n in outbox.counts(tx) if c is not None}
    assert by_campaign[(first, "failed")] == 1
    assert by_campaign[(second, "cancelled")] == 1  # the bounced address gets nothing more


def test_mail_to_people_who_left_or_are_suppressed_is_cancelled(nl: Newsletter) -> None:
    _active(nl, "left@example.org", "hushed@example.org", "stay@example.org")
    _campaign(nl)
    with nl.db.begin() as tx:
        left = subscribers.get_by_email(tx, "left@example.org")
        assert left is not None
        subscribers.set_status(tx, left.id, status="unsubscribed", now=nl.now())
        hushed = suppression_hash(nl.secret, "hushed@example.org")
        suppressions.add(tx, hushed, reason="forgotten", now=nl.now())
    mailer = MemoryMailer()
    stats = work(nl, mailer)
    assert [m.recipient for m in mailer.sent] == ["stay@example.org"]
    assert stats.cancelled == 2


def test_rate_limit_paces_sending(nl: Newsletter) -> None:
    _active(nl, *(f"p{i}@example.org" for i in range(11)))
    _campaign(nl)
    started = time.monotonic()
    work(nl, MemoryMailer(), rate=40.0)
    assert time.monotonic() - started >= 10 / 40 * 0.9


def test_stop_records_what_went_and_releases_the_rest(nl: Newsletter) -> None:
    _active(nl, *(f"s{i}@example.org" for i in range(30)))
    _campaign(nl)
    mailer = MemoryMailer()

    async def scenario() -> None:
        worker = Worker(nl, mailer, WorkerOptions(rate=100.0, batch_size=50))
        task = asyncio.create_task(worker.run())
        await asyncio.sleep(0.1)
        worker.stop()
        await asyncio.wait_for(task, 5)

    asyncio.run(scenario())
    sent = len(mailer.sent)
    assert 0 < sent < 30
    assert _statuses(nl) == {"sent": sent, "pending": 30 - sent}
    with nl.db.begin() as tx:  # released rows are due again at once, not after the lease
        assert outbox.due_count(tx, now=nl.now()) == 30 - sent
    assert work(nl, mailer).sent == 30 - sent
    assert len({m.recipient for m in mailer.sent}) == 30


def test_smtp_reuses_one_connection_and_classifies_replies(
    nl: Newsletter, smtp_sink: tuple[Sink, str]
) -> None:
    sink, url = smtp_sink
    sink.reject = {"hard@example.org": "550 5.1.1 no such user", "soft@example.org": "450 busy"}
    _active(nl, *(f"m{i}@example.org" for i in range(20)), "hard@example.org", "soft@example.org")
    _campaign(nl)
    mailer = SmtpMailer(url)
    stats = work_with(nl, mailer)
    assert (stats.sent, stats.bounced, stats.retried) == (20, 1, 1)
    assert len(sink.messages) == 20
    assert mailer.connections == 1 and sink.sessions == 1


def work_with(nl: Newsletter, mailer: SmtpMailer) -> object:
    return asyncio.run(Worker(nl, mailer, WorkerOptions(until_empty=True, rate=0)).run())


def test_smtp_server_down_is_transient(nl: Newsletter) -> None:
    _active(nl, "a@example.org")
    _campaign(nl)
    from support.nlkit import free_port

    stats = work_with(nl, SmtpMailer(f"smtp://127.0.0.1:{free_port()}", timeout=2))
    assert stats.retried == 1  # type: ignore[attr-defined]
    assert _statuses(nl) == {"pending": 1}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://u:p%40ss@mail.example.org:587",
            ("mail.example.org", 587, "u", "p@ss", False, True),
        ),
        ("smtps://mail.example.org", ("mail.example.org", 465, None, None, True, None)),
        ("smtp://127.0.0.1:2525", ("127.0.0.1", 2525, None, None, False, None)),
    ],
)
def test_smtp_urls(url: str, expected: tuple[object, ...]) -> None:
    t = parse_smtp_url(url)
    assert (t.host, t.port, t.username, t.password, t.tls, t.start_tls) == expected


def test_bad_smtp_url() -> None:
    with pytest.raises(ValueError, match="smtp://"):
        parse_smtp_url("http://example.org")


def test_several_smtp_connections_send_each_message_once(
    nl: Newsletter, smtp_sink: tuple[Sink, str]
) -> None:
    sink, url = smtp_sink
    _active(nl, *(f"c{i}@example.org" for i in range(60)))
    _campaign(nl)
    mailer = SmtpMailer(url, connections=3)
    options = WorkerOptions(until_empty=True, rate=0, senders=3, batch_size=16)
    stats = asyncio.run(Worker(nl, mailer, options).run())
    assert stats.sent == 60
    assert sorted(str(m["To"]) for m in sink.messages) == sorted(
        f"c{i}@example.org" for i in range(60)
    )
    assert 1 <= mailer.connections <= 3
    assert _statuses(nl) == {"sent": 60}


def test_an_internationalised_domain_goes_out_in_ascii_to_a_relay_without_smtputf8(
    nl: Newsletter, smtp_sink: tuple[Sink, str]
) -> None:
    sink, url = smtp_sink
    sink.ascii_only = True  # a relay without SMTPUTF8
    visit = subscriptions.Visit("/t")
    subscriptions.subscribe(nl, email="Reader@XN--BCHER-KVA.example", interests=[], visit=visit)
    subscriptions.subscribe(nl, email="reader@bücher.example", interests=[], visit=visit)
    with nl.db.begin() as tx:  # one address, stored one way, however it was typed
        assert [s.email for s in subscribers.iterate(tx)] == ["reader@bücher.example"]
    stats = work_with(nl, SmtpMailer(url))
    assert stats.sent == 1  # type: ignore[attr-defined]
    assert [m["To"] for m in sink.messages] == ["reader@xn--bcher-kva.example"]
    with nl.db.begin() as tx:
        assert [(kind, status) for _, kind, status, _ in outbox.counts(tx)] == [("confirm", "sent")]

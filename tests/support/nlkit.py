"""Helpers for newsletter tests: a settable clock, a worker runner, link extraction, scenarios."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import socket
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit

from treatwise.newsletter import addresses, preferences, subscriptions
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import Mailer, Outgoing
from treatwise.newsletter.subscriptions import Visit
from treatwise.newsletter.worker import Worker, WorkerOptions, WorkerStats
from treatwise.store import Database, outbox, subscribers, suppressions

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
INTERESTS = {"acne-scars": "Acne scars", "melasma": "Melasma", "hair-loss": "Hair loss"}
SECRET = "test-secret"


def make_newsletter(db: Database, **overrides: Any) -> Newsletter:
    """A newsletter context on this database with the test secret, address and interests."""
    values: dict[str, Any] = {
        "db": db,
        "secret": SECRET,
        "base_url": "https://treatwise.test",
        "mail_from": "Treatwise <newsletter@treatwise.test>",
        "postal_address": "Treatwise, 1 Example Street, Springfield",
        "interests": INTERESTS,
    }
    return Newsletter(**{**values, **overrides})


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def work(nl: Newsletter, mailer: Mailer, **options: object) -> WorkerStats:
    """Run a worker until nothing is due."""
    opts = WorkerOptions(**{"until_empty": True, "rate": 0, **options})  # type: ignore[arg-type]
    return asyncio.run(Worker(nl, mailer, opts).run())


def link(outgoing: Outgoing, path: str) -> str:
    """The token of the first link to ``path`` in the text part."""
    body = outgoing.message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    match = re.search(rf"https://treatwise\.test{re.escape(path)}\?token=\S+", text)
    assert match, f"no {path} link in {text!r}"
    return parse_qs(urlsplit(match.group(0)).query)["token"][0]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sink:
    """aiosmtpd handler: keeps every message; rejects addresses listed in ``reject``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.reject: dict[str, str] = {}  # address -> SMTP reply, e.g. "550 5.1.1 no such user"
        self.sessions = 0
        self.ascii_only = False  # refuse non-ASCII recipients, as a relay without SMTPUTF8 does

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.reject:
            return self.reject[address]
        if self.ascii_only and not address.isascii():
            return "553 5.6.7 non-ASCII addresses are not supported here (no SMTPUTF8)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


def token_in(message: EmailMessage, path: str) -> str:
    """The token of the first link to ``path`` in a received message's text part."""
    body = message.get_body(("plain",))
    assert body is not None
    match = re.search(rf"https://treatwise\.test{re.escape(path)}\?token=\S+", body.get_content())
    assert match, f"no {path} link"
    return parse_qs(urlsplit(match.group(0)).query)["token"][0]


def bulk_active(nl: Newsletter, count: int, *, prefix: str = "reader") -> None:
    """Add ``count`` active subscribers quickly (no consent rows: test data only)."""
    now = nl.now()
    rows = [
        {
            "key": uuid.uuid4().hex,
            "email": f"{prefix}{i}@example.org",
            "status": "active",
            "interests": [],
            "created_at": now,
            "confirmed_at": now,
            "unsubscribed_at": None,
        }
        for i in range(count)
    ]
    with nl.db.begin() as tx:
        subscribers.insert_many(tx, rows)


class CountingSink:
    """aiosmtpd handler that counts deliveries per recipient and per Message-ID."""

    def __init__(self) -> None:
        self.by_recipient: Counter[str] = Counter()
        self.by_message_id: Counter[str] = Counter()
        self.total = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        found = re.search(
            rb"^Message-ID: (<[^>]+>)", envelope.content, re.MULTILINE | re.IGNORECASE
        )
        self.by_message_id[found.group(1).decode() if found else "?"] += 1
        for rcpt in envelope.rcpt_tos:
            self.by_recipient[rcpt] += 1
        self.total += 1
        return "250 OK"


def purge_pending_scenario(
    nl: Newsletter, clock: Clock, invoke: Callable[..., tuple[int, str]]
) -> None:
    """`subscribers purge-pending` through the CLI (which runs on the real clock).

    Sign-ups 40, 10 and 2 days old, and a forgotten address that signed up again
    40 days ago: the old ones go with their confirmation mail, the suppression stays.
    """
    real = dt.datetime.now(dt.UTC)
    visit = Visit("/newsletter", "192.0.2.1")
    for name, age in (("old", 40), ("ten", 10), ("new", 2), ("gone", 40)):
        clock.now = real - dt.timedelta(days=age)
        if name == "gone":
            preferences.forget_address(nl, email="gone@example.org")
        subscriptions.subscribe(nl, email=f"{name}@example.org", interests=[], visit=visit)
    code, out = invoke("newsletter", "subscribers", "purge-pending")
    assert (code, out.strip()) == (0, "purged 2 pending subscriber(s) unconfirmed for 30+ days")
    with nl.db.begin() as tx:
        assert {s.email for s in subscribers.iterate(tx)} == {"ten@example.org", "new@example.org"}
        assert outbox.pending_count(tx) == 2  # the purged ones' confirmations went too
        assert suppressions.contains(tx, addresses.suppression_hash(SECRET, "gone@example.org"))
    code, out = invoke("newsletter", "subscribers", "purge-pending", "--older-than-days", "7")
    assert code == 0 and out.startswith("purged 1 ")
    code, out = invoke("newsletter", "subscribers", "purge-pending", "--older-than-days", "6")
    assert code == 2 and "older-than-days: 6 is too short; use 7 or more" in out
    code, out = invoke("newsletter", "subscribers", "purge-pending", "--older-than-days", "x")
    assert code == 2 and "Invalid value" in out


@contextmanager
def smtp_server(handler: object) -> Iterator[str]:
    """Run an aiosmtpd handler on a free 127.0.0.1 port; yields its smtp:// URL."""
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()

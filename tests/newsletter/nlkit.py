"""Helpers for newsletter tests: a settable clock, a worker runner, link extraction."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import Mailer, Outgoing
from treatwise.newsletter.worker import Worker, WorkerOptions, WorkerStats

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
INTERESTS = {"acne-scars": "Acne scars", "melasma": "Melasma", "hair-loss": "Hair loss"}
SECRET = "test-secret"


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
    opts = WorkerOptions(until_empty=True, rate=0, **options)  # type: ignore[arg-type]
    return asyncio.run(Worker(nl, mailer, opts).run())


def link(outgoing: Outgoing, path: str) -> str:
    """The token of the first link to ``path`` in the text part."""
    body = outgoing.message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    match = re.search(rf"https://treatwise\.test{re.escape(path)}\?token=\S+", text)
    assert match, f"no {path} link in {text!r}"
    return parse_qs(urlsplit(match.group(0)).query)["token"][0]

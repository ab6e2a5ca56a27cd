"""Crash safety: SIGKILL the worker at random points of a 2,000-mail campaign, restart it.

Every active subscriber must get the campaign; nobody may get it more than once per
kill (delivery is at least once, and rows sent but not yet recorded are the only
repeats); nothing is lost. The worker runs as a real ``treatwise`` process sending
over SMTP to an aiosmtpd sink started by the test.
"""

from __future__ import annotations

import datetime as dt
import signal
from pathlib import Path

import pytest
from support.crashkit import crash_loop_scenario, crash_scenario, wait_for, worker_process
from support.nlkit import CountingSink, bulk_active

from treatwise.newsletter import campaigns
from treatwise.newsletter.context import Newsletter
from treatwise.store import outbox


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing(
    nl: Newsletter, db_url: str, counting_sink: tuple[CountingSink, str], tmp_path: Path
) -> None:
    sink, smtp_url = counting_sink
    crash_scenario(nl, db_url, smtp_url, sink, tmp_path)


def test_a_crash_loop_before_sending_marks_nothing_failed(
    nl: Newsletter, db_url: str, counting_sink: tuple[CountingSink, str], tmp_path: Path
) -> None:
    sink, smtp_url = counting_sink
    crash_loop_scenario(nl, db_url, smtp_url, sink, tmp_path)


def test_sigterm_stops_cleanly_and_hands_back_unsent_rows(
    nl: Newsletter, db_url: str, counting_sink: tuple[CountingSink, str], tmp_path: Path
) -> None:
    sink, smtp_url = counting_sink
    bulk_active(nl, 400)
    created = campaigns.create(nl, subject="Slow", body_markdown="Hello")
    campaigns.queue(nl, campaign_id=created.id)
    with (tmp_path / "worker.log").open("ab") as log:
        proc = worker_process(db_url, smtp_url, log, rate=100, until_empty=False)
        wait_for(lambda: sink.total >= 50, 30)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    sent = sink.total
    assert 50 <= sent < 400
    with nl.db.begin() as tx:  # what went is recorded; the rest is due again at once
        real_now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)  # the worker's clock
        assert outbox.due_count(tx, now=real_now) == 400 - sent
    assert max(sink.by_recipient.values()) == 1

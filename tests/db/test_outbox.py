"""PostgreSQL specifics: SKIP LOCKED claims, several worker processes, SIGKILL crashes."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from support.crashkit import crash_loop_scenario, crash_scenario, worker_process
from support.nlkit import CountingSink, bulk_active, link

from treatwise.newsletter import campaigns, subscriptions
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import MemoryMailer
from treatwise.newsletter.worker import Worker, WorkerOptions
from treatwise.store import outbox

LEASE = dt.timedelta(minutes=1)


def test_claims_skip_rows_locked_by_another_transaction(pg_nl: Newsletter) -> None:
    bulk_active(pg_nl, 10)
    created = campaigns.create(pg_nl, subject="S", body_markdown="B")
    campaigns.queue(pg_nl, campaign_id=created.id)
    now = pg_nl.now()
    with pg_nl.db.engine.connect() as first, pg_nl.db.engine.connect() as second, first.begin():
        mine = outbox.claim_due(first, now=now, limit=4, lease=LEASE)
        with second.begin():  # the first transaction is still open: its rows are locked
            theirs = outbox.claim_due(second, now=now, limit=10, lease=LEASE)
    assert len(mine) == 4 and len(theirs) == 6
    assert not {r.id for r in mine} & {r.id for r in theirs}


def test_flows_on_postgresql(pg_clocked: Newsletter) -> None:
    nl, mailer = pg_clocked, MemoryMailer()
    visit = subscriptions.Visit("/newsletter", "198.51.100.4")
    subscriptions.subscribe(nl, email="pg@example.org", interests=["melasma"], visit=visit)
    run = lambda: asyncio.run(  # noqa: E731
        Worker(nl, mailer, WorkerOptions(until_empty=True, rate=0)).run()
    )
    run()
    confirm = link(mailer.sent[0], "/newsletter/confirm")
    assert subscriptions.confirm(nl, token=confirm, visit=visit).outcome == "confirmed"
    created = campaigns.create(nl, subject="PG", body_markdown="Hi", interest="melasma")
    assert campaigns.queue(nl, campaign_id=created.id) == 1
    assert campaigns.queue(nl, campaign_id=created.id) == 0
    run()
    assert [m.kind for m in mailer.sent] == ["confirm", "welcome", "campaign"]
    unsubscribe = link(mailer.sent[-1], "/newsletter/unsubscribe")
    assert subscriptions.unsubscribe(nl, token=unsubscribe, visit=visit) is True
    assert subscriptions.unsubscribe(nl, token=unsubscribe, visit=visit) is False


def test_three_worker_processes_share_a_campaign_exactly_once(
    pg_nl: Newsletter, pg_url: str, pg_sink: tuple[CountingSink, str], tmp_path: Path
) -> None:
    sink, smtp_url = pg_sink
    bulk_active(pg_nl, 1500)
    created = campaigns.create(pg_nl, subject="Together", body_markdown="Hi")
    campaigns.queue(pg_nl, campaign_id=created.id)
    with (tmp_path / "workers.log").open("ab") as log:
        procs = [worker_process(pg_url, smtp_url, log, batch_size=25) for _ in range(3)]
        assert [p.wait(120) for p in procs] == [0, 0, 0]
    assert len(sink.by_recipient) == 1500
    assert max(sink.by_recipient.values()) == 1
    with pg_nl.db.begin() as tx:
        assert outbox.pending_count(tx, campaign_id=created.id) == 0


def test_sigkill_at_random_points_loses_nothing_on_postgresql(
    pg_nl: Newsletter, pg_url: str, pg_sink: tuple[CountingSink, str], tmp_path: Path
) -> None:
    sink, smtp_url = pg_sink
    crash_scenario(pg_nl, pg_url, smtp_url, sink, tmp_path)


def test_a_crash_loop_before_sending_marks_nothing_failed_on_postgresql(
    pg_nl: Newsletter, pg_url: str, pg_sink: tuple[CountingSink, str], tmp_path: Path
) -> None:
    sink, smtp_url = pg_sink
    crash_loop_scenario(pg_nl, pg_url, smtp_url, sink, tmp_path)

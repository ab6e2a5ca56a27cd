"""Run the ``treatwise newsletter worker`` as a process, kill it, restart it (crash tests)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from support.nlkit import SECRET, CountingSink, bulk_active

from treatwise.newsletter import campaigns
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.worker import WorkerOptions
from treatwise.store import outbox

RECIPIENTS = 2000
KILLS = 4
LEASE = 2  # seconds: how long a killed worker's claims block the next one


def worker_process(
    db_url: str,
    smtp_url: str,
    log: IO[bytes],
    *,
    batch_size: int = 100,
    rate: float = 0,
    until_empty: bool = True,
    max_attempts: int | None = None,
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TREATWISE_DATABASE_URL": db_url,
        "TREATWISE_SMTP_URL": smtp_url,
        "TREATWISE_SECRET_KEY": SECRET,
        "TREATWISE_BASE_URL": "https://treatwise.test",
    }
    command = [
        *(sys.executable, "-c", "from treatwise.cli import main; main()"),
        *("newsletter", "worker", "--rate", str(rate), "--lease", str(LEASE)),
        *("--batch-size", str(batch_size)),
        *(("--until-empty",) if until_empty else ()),
        *(("--max-attempts", str(max_attempts)) if max_attempts is not None else ()),
    ]
    return subprocess.Popen(command, env=env, stdout=log, stderr=log)


def wait_for(predicate: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def crash_and_recover(
    db_url: str, smtp_url: str, sink: CountingSink, log: IO[bytes], seed: int
) -> None:
    rng = random.Random(seed)
    for _ in range(KILLS):
        proc = worker_process(db_url, smtp_url, log)
        target = min(sink.total + rng.randint(30, 350), RECIPIENTS - 50)
        wait_for(lambda: sink.total >= target or proc.poll() is not None, 60)  # noqa: B023
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    for _ in range(5):  # finish; a claim held by a killed worker frees up after LEASE
        time.sleep(LEASE + 0.2)
        assert worker_process(db_url, smtp_url, log).wait(120) == 0
        if len(sink.by_recipient) >= RECIPIENTS:
            break


def crash_scenario(
    nl: Newsletter, db_url: str, smtp_url: str, sink: CountingSink, tmp_path: Path
) -> None:
    """Queue a campaign to RECIPIENTS people, kill the worker KILLS times, check delivery."""
    bulk_active(nl, RECIPIENTS)
    created = campaigns.create(nl, subject="Crash test", body_markdown="Hello")
    assert campaigns.queue(nl, campaign_id=created.id) == RECIPIENTS
    seed = random.randrange(1_000_000)
    with (tmp_path / "worker.log").open("ab") as log:
        crash_and_recover(db_url, smtp_url, sink, log, seed)

    output = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    assert len(sink.by_recipient) == RECIPIENTS, f"seed {seed}: someone got nothing\n{output}"
    worst = max(sink.by_recipient.values())
    assert worst <= 1 + KILLS, f"seed {seed}: someone got it {worst} times"
    repeats = sum(n - 1 for n in sink.by_recipient.values())
    # a kill repeats at most what was sent since the last recorded flush: about two flushes
    bound = KILLS * (2 * WorkerOptions().flush_every + 10)
    assert repeats <= bound, f"seed {seed}: {repeats} repeats"
    assert all(mid.startswith("<outbox.") for mid in sink.by_message_id)
    with nl.db.begin() as tx:
        assert outbox.pending_count(tx, campaign_id=created.id) == 0
        sent = {(s, n) for c, _, s, n in outbox.counts(tx) if c == created.id}
    assert sent == {("sent", RECIPIENTS)}


@contextlib.contextmanager
def silent_smtp() -> Iterator[str]:
    """An SMTP URL whose server accepts connections and never says a word (sends hang)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)  # never accepted: the kernel completes the handshake, nothing more
        yield f"smtp://127.0.0.1:{server.getsockname()[1]}"


CRASH_LOOPS = 4
LOOP_ATTEMPTS = 2  # --max-attempts for the crash loop: fewer than CRASH_LOOPS


def crash_loop_scenario(
    nl: Newsletter, db_url: str, smtp_url: str, sink: CountingSink, tmp_path: Path
) -> None:
    """Kill the worker CRASH_LOOPS times after it claims and before it sends; nothing fails.

    The worker sends to a server that never answers, so every claim ends in a kill
    with nothing tried. Claims are not attempts: no message may be marked failed,
    and a healthy worker afterwards delivers every one.
    """
    recipients = 30
    bulk_active(nl, recipients, prefix="looper")
    created = campaigns.create(nl, subject="Crash loop", body_markdown="Hello")
    assert campaigns.queue(nl, campaign_id=created.id) == recipients

    def all_claimed() -> bool:  # every pending row is held by a worker (none due)
        with nl.db.begin() as tx:
            due = outbox.due_count(tx, now=dt.datetime.now(dt.UTC))
            return due == 0 and outbox.pending_count(tx, campaign_id=created.id) > 0

    with (tmp_path / "loop.log").open("ab") as log, silent_smtp() as silent:
        for _ in range(CRASH_LOOPS):
            wait_for(lambda: not all_claimed(), LEASE + 5)  # the last lease has run out
            proc = worker_process(db_url, silent, log, max_attempts=LOOP_ATTEMPTS)
            wait_for(lambda: all_claimed() or proc.poll() is not None, 30)  # noqa: B023
            proc.send_signal(signal.SIGKILL)
            proc.wait()
    with nl.db.begin() as tx:
        statuses = {s: n for c, _, s, n in outbox.counts(tx) if c == created.id}
    assert statuses == {"pending": recipients}, f"a message never tried was given up: {statuses}"
    assert sink.total == 0
    time.sleep(LEASE + 0.2)
    with (tmp_path / "loop.log").open("ab") as log:
        finisher = worker_process(db_url, smtp_url, log, max_attempts=LOOP_ATTEMPTS)
        assert finisher.wait(60) == 0
    assert len(sink.by_recipient) == recipients
    with nl.db.begin() as tx:
        statuses = {s: n for c, _, s, n in outbox.counts(tx) if c == created.id}
    assert statuses == {"sent": recipients}

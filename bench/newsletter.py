"""Benchmark the newsletter: a campaign to N synthetic subscribers into a local SMTP sink.

    .venv/bin/python bench/newsletter.py [--subscribers 100000] [--engine sqlite|postgresql|both]
                                         [--raw 20000] [--batch-size 200]

For each engine: create a fresh database (a SQLite file in a temporary folder, or a
throw-away schema on the PostgreSQL test server), insert N active subscribers (not
timed), create and queue one campaign (timed), then run the real worker process
(``treatwise newsletter worker --until-empty --rate 0``) against an aiosmtpd sink
that runs in a process of its own and only counts. The worker's wall time gives
its messages/s; ``os.wait4`` gives its peak resident memory. Before and after the
campaign, a raw aiosmtplib blast (one pre-built message of the same size, sent
``--raw`` times) into the same sink gives the ceiling to compare with, once with
as many connections as each worker configuration: a campaign over N connections
is divided by the raw blast over N connections of the same run (like with like).
Results go into bench/newsletter.md by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing as mp
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiosmtplib
from sqlalchemy import create_engine, text

from treatwise.newsletter import campaigns
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.messages import Composer
from treatwise.store import Database, subscribers
from treatwise.store.migrate import upgrade
from treatwise.store.outbox import Claimed

POSTGRES = os.environ.get(
    "TREATWISE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SECRET = "bench-secret"
BODY = """# This month at Treatwise

Microneedling or mesotherapy? Our comparison now shows the certainty of the
evidence for each concern, with the studies behind every grade.

- New: what recovery looks like, day by day
- Updated: prices in three countries
- Tip: sun protection after any needle treatment

Read more on the site. Every claim links to its sources.
"""


# -- the sink: its own process, counts messages ----------------------------------------


def _sink_main(port: int, counter: Any, first: Any, last: Any, ready: Any) -> None:
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, *_args: Any) -> str:
            with counter.get_lock():
                counter.value += 1
                last.value = time.time()
                if first.value == 0.0:
                    first.value = last.value
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    controller.start()
    ready.set()
    signal.sigwait({signal.SIGTERM})
    controller.stop()


@contextmanager
def sink() -> Iterator[tuple[int, Any]]:
    """Start the counting sink on a free port; yield (port, counter with ``.last`` time)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    counter, first, last = mp.Value("q", 0), mp.Value("d", 0.0), mp.Value("d", 0.0)
    ready = mp.Event()
    process = mp.Process(target=_sink_main, args=(port, counter, first, last, ready), daemon=True)
    counter.first, counter.last = first, last
    process.start()
    ready.wait(10)
    try:
        yield port, counter
    finally:
        os.kill(process.pid or 0, signal.SIGTERM)
        process.join(10)


# -- databases --------------------------------------------------------------------------


@contextmanager
def database(engine: str, folder: Path) -> Iterator[str]:
    """A fresh, migrated database URL on the chosen engine."""
    if engine == "sqlite":
        url = f"sqlite:///{folder / 'bench.db'}"
        upgrade(url)
        yield url
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES}?options={quote(f'-csearch_path={schema}')}"
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def context(url: str) -> Newsletter:
    return Newsletter(
        db=Database(url),
        secret=SECRET,
        base_url="https://treatwise.example",
        mail_from="Treatwise <newsletter@treatwise.example>",
        postal_address="Treatwise, 1 Example Street, Springfield, USA",
    )


def populate(nl: Newsletter, count: int) -> None:
    """N active subscribers, inserted in chunks (not part of the measurement)."""
    now = dt.datetime.now(dt.UTC)
    for start in range(0, count, 5000):
        rows = [
            {
                "key": uuid.uuid4().hex,
                "email": f"reader{i}@example.org",
                "status": "active",
                "interests": [],
                "created_at": now,
                "confirmed_at": now,
                "unsubscribed_at": None,
            }
            for i in range(start, min(count, start + 5000))
        ]
        with nl.db.begin() as tx:
            subscribers.insert_many(tx, rows)


# -- the raw ceiling --------------------------------------------------------------------


def sample_message(nl: Newsletter) -> bytes:
    """A campaign message exactly as the worker composes it (for the raw blast)."""
    campaign = campaigns.create(nl, subject="Sample", body_markdown=BODY)
    with nl.db.begin() as tx:
        sub = next(subscribers.iterate(tx, batch=1))
    row = Claimed(1, "campaign", campaign.id, 1, sub.id, sub.key, sub.email, "active")
    return Composer(nl).compose(row, campaign).data


async def _blast(port: int, message: bytes, count: int, connections: int) -> float:
    smtps = [aiosmtplib.SMTP(hostname="127.0.0.1", port=port) for _ in range(connections)]
    for smtp in smtps:
        await smtp.connect()

    async def loop(smtp: aiosmtplib.SMTP, n: int) -> None:
        for _ in range(n):
            await smtp.sendmail("newsletter@treatwise.example", ["reader0@example.org"], message)

    started = time.perf_counter()
    await asyncio.gather(*(loop(smtp, count // connections) for smtp in smtps))
    elapsed = time.perf_counter() - started
    for smtp in smtps:
        await smtp.quit()
    return count // connections * connections / elapsed


def raw_rate(port: int, message: bytes, count: int, connections: int = 1) -> float:
    """Messages/s of bare aiosmtplib loops (one per connection) sending ready bytes."""
    return asyncio.run(_blast(port, message, count, connections))


# -- the campaign -----------------------------------------------------------------------


def run_worker(
    url: str, port: int, batch_size: int, folder: Path, connections: int
) -> tuple[float, int, int]:
    """Run the worker process until the outbox is empty: (seconds, exit code, peak RSS KiB)."""
    env = {
        **os.environ,
        "TREATWISE_DATABASE_URL": url,
        "TREATWISE_SMTP_URL": f"smtp://127.0.0.1:{port}",
        "TREATWISE_SECRET_KEY": SECRET,
        "TREATWISE_BASE_URL": "https://treatwise.example",
    }
    command = [
        *(sys.executable, "-c", "from treatwise.cli import main; main()"),
        *("newsletter", "worker", "--until-empty", "--rate", "0"),
        *("--batch-size", str(batch_size), "--connections", str(connections)),
    ]
    started = time.perf_counter()
    with (folder / "worker.log").open("wb") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, proc.returncode, int(usage.ru_maxrss)


def campaign_run(
    nl: Newsletter, url: str, port: int, counter: Any, args: argparse.Namespace, connections: int
) -> dict[str, Any]:
    """Queue a fresh campaign to everyone and send it with the worker process."""
    created = campaigns.create(nl, subject="Treatwise, this month", body_markdown=BODY)
    started = time.perf_counter()
    queued = campaigns.queue(nl, campaign_id=created.id)
    queue_seconds = time.perf_counter() - started
    before = counter.value
    counter.first.value = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        seconds, code, rss_kib = run_worker(url, port, args.batch_size, Path(tmp), connections)
    delivered = counter.value - before
    sending = counter.last.value - counter.first.value  # first to last message received
    return {
        "connections": connections,
        "queued": queued,
        "queue_seconds": round(queue_seconds, 2),
        "delivered": delivered,
        "worker_exit": code,
        "worker_seconds": round(seconds, 1),
        "msgs_per_s": round(delivered / seconds, 1),
        "sending_msgs_per_s": round(delivered / sending, 1),  # without process start-up
        "peak_rss_mb": round(rss_kib / 1024, 1),
    }


def bench_engine(engine: str, args: argparse.Namespace) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        database(engine, Path(tmp)) as url,
        sink() as (
            port,
            counter,
        ),
    ):
        nl = context(url)
        populate(nl, args.subscribers)
        message = sample_message(nl)
        raw: dict[int, list[float]] = {k: [] for k in sorted(set(args.connections))}
        runs = []
        for connections in args.connections:
            for k in raw:
                raw[k].append(raw_rate(port, message, args.raw, k))
            runs.append(campaign_run(nl, url, port, counter, args, connections))
        for k in raw:
            raw[k].append(raw_rate(port, message, args.raw, k))
        nl.db.dispose()
        raw_mean = {k: sum(v) / len(v) for k, v in raw.items()}
        for run in runs:  # against the raw blast with the worker's own number of connections
            same = raw_mean[run["connections"]]
            run["ratio"] = round(run["msgs_per_s"] / same, 3)
            run["sending_ratio"] = round(run["sending_msgs_per_s"] / same, 3)
        return {
            "engine": engine,
            "subscribers": args.subscribers,
            "message_bytes": len(message),
            "load_average_after": [round(x, 1) for x in os.getloadavg()],
            "raw_msgs_per_s": {k: [round(x, 1) for x in v] for k, v in raw.items()},
            "campaigns": runs,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--raw", type=int, default=20_000, help="messages in each raw blast")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument(
        "--connections",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[1, 2],
        help="worker SMTP connections to try, e.g. 1,2",
    )
    args = parser.parse_args()
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    for engine in engines:
        result = bench_engine(engine, args)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

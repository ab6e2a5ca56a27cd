"""The outbox worker: claim due rows, compose, send through one mailer, record the outcome.

The loop, in two cooperating tasks:

1. *fill*: claim a batch of due rows (a lease, ``FOR UPDATE SKIP LOCKED`` on
   PostgreSQL), drop rows that must not go (unsubscribed since queueing,
   suppressed, retried too often), compose the rest and put them on a bounded queue;
2. *drain*: take messages off the queue at no more than ``rate`` per second, send
   them, and write outcomes in small batches: sent, retry later with exponential
   backoff, failed, or (a permanent rejection) the subscriber is marked bounced.

Delivery is at least once: a worker killed between sending and recording leaves at
most ``flush_every`` messages to be sent again after the lease ends; a clean stop
(``stop()``, e.g. on SIGTERM) records what went and hands unsent rows back at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from treatwise.newsletter import addresses
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import Mailer, Outgoing, PermanentMailError, TransientMailError
from treatwise.newsletter.messages import Composer
from treatwise.store import campaigns, consents, outbox, subscribers, suppressions
from treatwise.store.outbox import Claimed

WANTED_STATUS = {"confirm": "pending", "welcome": "active", "campaign": "active"}


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How the worker paces itself and retries."""

    rate: float = 50.0  # messages per second
    batch_size: int = 100
    flush_every: int = 20  # record outcomes after this many messages (or flush_seconds)
    flush_seconds: float = 0.5
    lease: dt.timedelta = dt.timedelta(seconds=60)
    max_attempts: int = 8
    backoff_base: dt.timedelta = dt.timedelta(seconds=30)
    backoff_cap: dt.timedelta = dt.timedelta(hours=6)
    poll_seconds: float = 2.0
    until_empty: bool = False


@dataclass(slots=True)
class WorkerStats:
    """What one run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    bounced: int = 0
    cancelled: int = 0


def backoff(options: WorkerOptions, attempts: int) -> dt.timedelta:
    """Delay before retry number ``attempts`` (1, 2, ...): base × 2^(n-1), capped."""
    delay = options.backoff_base * (1 << max(0, attempts - 1))
    return min(delay, options.backoff_cap)


class Worker:
    """One worker process's send loop (see the module docstring)."""

    def __init__(
        self,
        nl: Newsletter,
        mailer: Mailer,
        options: WorkerOptions | None = None,
        *,
        on_progress: Callable[[WorkerStats], None] | None = None,
    ) -> None:
        self.nl = nl
        self.mailer = mailer
        self.options = options or WorkerOptions()
        self.stats = WorkerStats()
        self._composer = Composer(nl)
        self.on_progress = on_progress
        self._stopping = asyncio.Event()
        self._queue: asyncio.Queue[tuple[Claimed, Outgoing] | None] = asyncio.Queue(
            maxsize=self.options.batch_size
        )
        self._sent: list[int] = []
        self._held: dict[int, Claimed] = {}  # claimed, neither sent nor given up yet
        self._bounced: set[int] = set()  # subscribers who bounced during this run
        self._campaigns: dict[int, campaigns.Campaign] = {}
        self._last_flush = time.monotonic()
        self._next_slot = 0.0

    def stop(self) -> None:
        """Finish the message in flight, record outcomes, release the rest, then return."""
        self._stopping.set()

    async def run(self) -> WorkerStats:
        """Send until stopped (or, with ``until_empty``, until nothing is due)."""
        async with self.mailer:
            helpers = [asyncio.create_task(self._fill()), asyncio.create_task(self._renew())]
            try:
                await self._drain()
            finally:
                self._stopping.set()
                for task in helpers:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                self._flush()
                self._release_queued()
        return self.stats

    # -- fill: claim, filter, compose ------------------------------------------------

    async def _fill(self) -> None:
        while not self._stopping.is_set():
            rows = self._claim()
            if not rows:
                if self.options.until_empty:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.options.poll_seconds)
                continue
            for row in rows:
                if self._stopping.is_set():
                    break
                outgoing = self._composer.compose(row, self._campaign_of(row))
                await self._queue.put((row, outgoing))
                await asyncio.sleep(0)  # let the sender run while the server answers
        await self._queue.put(None)

    def _claim(self) -> list[Claimed]:
        now = self.nl.now()
        o = self.options
        with self.nl.db.begin() as tx:
            rows = outbox.claim_due(tx, now=now, limit=o.batch_size, lease=o.lease)
            if not rows:
                return []
            wanted = {r.campaign_id for r in rows if r.campaign_id is not None}
            self._campaigns = campaigns.get_many(tx, wanted) if wanted else {}
            hashes = {r.id: addresses.suppression_hash(self.nl.secret, r.email) for r in rows}
            suppressed = suppressions.matching(tx, set(hashes.values()))
            keep, drop, give_up = [], [], []
            for r in rows:
                if r.attempts > o.max_attempts:
                    give_up.append(r.id)
                elif (
                    r.subscriber_status != WANTED_STATUS[r.kind]
                    or (r.kind != "confirm" and hashes[r.id] in suppressed)
                    or (r.campaign_id is not None and r.campaign_id not in self._campaigns)
                ):
                    drop.append(r.id)
                else:
                    keep.append(r)
            outbox.cancel(tx, drop, reason="recipient no longer eligible")
            for row_id in give_up:
                outbox.fail(tx, row_id, error=f"gave up after {o.max_attempts} attempts")
        self.stats.cancelled += len(drop)
        self.stats.failed += len(give_up)
        self._held.update((r.id, r) for r in keep)
        return keep

    def _campaign_of(self, row: Claimed) -> campaigns.Campaign | None:
        return self._campaigns.get(row.campaign_id) if row.campaign_id is not None else None

    async def _renew(self) -> None:
        # Keep the lease on rows this worker holds, so that a slow batch is never
        # taken over by another worker while this one is alive and sending it.
        period = self.options.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(period)
            ids = sorted({*self._held, *self._sent})
            if ids:
                with self.nl.db.begin() as tx:
                    outbox.extend(tx, ids, until=self.nl.now() + self.options.lease)

    # -- drain: pace, send, record ---------------------------------------------------

    async def _drain(self) -> None:
        while not self._stopping.is_set():
            item = await self._next_item()
            if item is None:
                break
            row, outgoing = item
            await self._pace()
            await self._send(row, outgoing)
            if (
                len(self._sent) >= self.options.flush_every
                or time.monotonic() - self._last_flush >= self.options.flush_seconds
            ):
                self._flush()

    async def _next_item(self) -> tuple[Claimed, Outgoing] | None:
        try:
            return self._queue.get_nowait()
        except asyncio.QueueEmpty:
            pass
        self._flush()  # nothing waiting: a good moment to record outcomes
        getter = asyncio.ensure_future(self._queue.get())
        stopper = asyncio.ensure_future(self._stopping.wait())
        done, _ = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if getter in done:
            return getter.result()
        getter.cancel()
        return None

    async def _pace(self) -> None:
        if self.options.rate <= 0:
            return
        loop = asyncio.get_running_loop()
        now = loop.time()
        if self._next_slot > now:
            await asyncio.sleep(self._next_slot - now)
        self._next_slot = max(self._next_slot, now) + 1.0 / self.options.rate

    async def _send(self, row: Claimed, outgoing: Outgoing) -> None:
        if row.subscriber_id in self._bounced:  # queued before the bounce; already cancelled
            self._held.pop(row.id, None)
            self.stats.cancelled += 1
            return
        try:
            await self.mailer.send(outgoing)
        except PermanentMailError as error:
            self._bounce(row, str(error))
        except TransientMailError as error:
            self._retry(row, str(error))
        else:
            self._sent.append(row.id)
            self.stats.sent += 1
        self._held.pop(row.id, None)

    def _retry(self, row: Claimed, error: str) -> None:
        with self.nl.db.begin() as tx:
            if row.attempts >= self.options.max_attempts:
                outbox.fail(tx, row.id, error=f"{error} (after {row.attempts} attempts)")
                self.stats.failed += 1
            else:
                at = self.nl.now() + backoff(self.options, row.attempts)
                outbox.reschedule(tx, row.id, error=error, at=at)
                self.stats.retried += 1

    def _bounce(self, row: Claimed, error: str) -> None:
        now = self.nl.now()
        self._bounced.add(row.subscriber_id)
        with self.nl.db.begin() as tx:
            outbox.fail(tx, row.id, error=error)
            sub = subscribers.get(tx, row.subscriber_id)
            if sub is not None and sub.status in ("pending", "active"):
                subscribers.set_status(tx, sub.id, status="bounced", now=now)
                consents.record(
                    tx,
                    sub.id,
                    event="bounce",
                    now=now,
                    wording_version="-",
                    source=f"smtp: {error}",
                    ip_address=None,
                )
            outbox.cancel_for_subscriber(tx, row.subscriber_id, reason="bounced")
        self.stats.bounced += 1

    def _flush(self) -> None:
        self._last_flush = time.monotonic()
        if not self._sent:
            return
        with self.nl.db.begin() as tx:
            outbox.mark_sent(tx, self._sent, now=self.nl.now())
        self._sent = []
        if self.on_progress is not None:
            self.on_progress(self.stats)

    def _release_queued(self) -> None:
        while not self._queue.empty():
            self._queue.get_nowait()
        if self._held:
            with self.nl.db.begin() as tx:
                outbox.release(tx, sorted(self._held), now=self.nl.now())
            self._held.clear()

"""The outbox worker: claim due rows, compose, send through one mailer, record the outcome.

The loop, in two cooperating tasks:

1. *fill*: claim a batch of due rows (a lease, ``FOR UPDATE SKIP LOCKED`` on
   PostgreSQL), drop rows that must not go (unsubscribed since queueing,
   suppressed, retried too often), compose the rest and put them on a bounded queue;
2. *drain*: take messages off the queue at no more than ``rate`` per second, send
   them, and write outcomes in small batches: sent, retry later with exponential
   backoff, failed, or (a permanent rejection) the subscriber is marked bounced.

Database work runs in a thread (claims, and "sent" marks while the next messages go
out), so the mail server and the database are busy at the same time.

Delivery is at least once: a worker killed between sending and recording leaves the
messages sent since the last recorded flush (about ``2 × flush_every``) to be sent
again once the lease ends; every other row is either recorded or still due. A live
worker renews its lease, so another worker never takes over its rows. A clean stop
(``stop()``, e.g. on SIGTERM) records what went and hands unsent rows back at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from treatwise.newsletter import delivery
from treatwise.newsletter.context import Newsletter
from treatwise.newsletter.mailers import Mailer, Outgoing, PermanentMailError, TransientMailError
from treatwise.newsletter.messages import Composer
from treatwise.store.outbox import Claimed

CHUNK = 16  # messages composed per turn of the event loop


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How the worker paces itself and retries."""

    rate: float = 50.0  # messages per second; 0 or less: as fast as the server takes them
    senders: int = 1  # concurrent sends (give the SMTP mailer as many connections)
    batch_size: int = 100
    flush_every: int = 50  # record "sent" after this many messages (or flush_seconds)
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
    delay = options.backoff_base * (1 << max(0, min(attempts, 40) - 1))
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
        self.on_progress = on_progress
        self._composer = Composer(nl)
        self._stopping = asyncio.Event()
        self._queue: asyncio.Queue[list[tuple[Claimed, Outgoing]] | None] = asyncio.Queue(
            maxsize=max(2, self.options.batch_size // CHUNK)
        )
        self._ready: list[tuple[Claimed, Outgoing]] = []  # the chunk being sent
        self._held: dict[int, Claimed] = {}  # claimed, neither sent nor given up yet
        self._sent: list[int] = []  # sent, not yet being recorded
        self._recording: list[int] = []  # sent, being recorded by the flush in flight
        self._flushing: asyncio.Future[None] | None = None
        self._last_flush = time.monotonic()
        self._bounced: set[int] = set()  # subscribers who bounced during this run
        self._next_slot = 0.0

    def stop(self) -> None:
        """Finish the message in flight, record outcomes, release the rest, then return."""
        self._stopping.set()

    async def run(self) -> WorkerStats:
        """Send until stopped (or, with ``until_empty``, until nothing is due)."""
        async with self.mailer:
            filler = asyncio.create_task(self._fill())
            renewer = asyncio.create_task(self._renew())
            try:
                await asyncio.gather(*(self._drain() for _ in range(max(1, self.options.senders))))
            finally:
                self._stopping.set()
                renewer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewer
                while not filler.done():  # let it finish its claim; unblock its put
                    self._empty_queue()
                    await asyncio.wait({filler}, timeout=0.05)
                self._empty_queue()
                await self._settle()
        return self.stats

    # -- fill: claim, compose ----------------------------------------------------------

    async def _fill(self) -> None:
        o = self.options
        while not self._stopping.is_set():
            batch = await asyncio.to_thread(
                delivery.claim,
                self.nl,
                limit=o.batch_size,
                lease=o.lease,
                max_attempts=o.max_attempts,
            )
            self.stats.cancelled += batch.cancelled
            self.stats.failed += batch.failed
            self._held.update((r.id, r) for r in batch.rows)
            if not batch.rows:
                if o.until_empty:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), o.poll_seconds)
                continue
            for start in range(0, len(batch.rows), CHUNK):
                if self._stopping.is_set():
                    break
                chunk = [
                    (row, self._composer.compose(row, batch.campaigns.get(row.campaign_id or 0)))
                    for row in batch.rows[start : start + CHUNK]
                ]
                await self._queue.put(chunk)  # a chunk at a time: few loop turns per message
        await self._queue.put(None)

    async def _renew(self) -> None:
        # Keep the lease on rows this worker holds, so that a slow batch is never
        # taken over by another worker while this one is alive and sending it.
        period = self.options.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(period)
            ids = sorted({*self._held, *self._sent, *self._recording})
            if ids:
                await asyncio.to_thread(delivery.extend, self.nl, ids, lease=self.options.lease)

    # -- drain: pace, send, record -----------------------------------------------------

    async def _drain(self) -> None:
        while not self._stopping.is_set():
            item = await self._next_item()
            if item is None:
                with contextlib.suppress(asyncio.QueueFull):
                    self._queue.put_nowait(None)  # tell the other senders too
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
        while not self._ready:
            chunk = await self._next_chunk()
            if chunk is None:
                return None
            self._ready[:0] = reversed(chunk)  # another sender may have filled it meanwhile
        return self._ready.pop()

    async def _next_chunk(self) -> list[tuple[Claimed, Outgoing]] | None:
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
            self.stats.cancelled += 1
        else:
            try:
                await self.mailer.send(outgoing)
            except PermanentMailError as error:
                self._bounced.add(row.subscriber_id)
                await asyncio.to_thread(delivery.bounce, self.nl, row, str(error))
                self.stats.bounced += 1
            except TransientMailError as error:
                await self._retry(row, str(error))
            else:
                self._sent.append(row.id)
                self.stats.sent += 1
        self._held.pop(row.id, None)

    async def _retry(self, row: Claimed, error: str) -> None:
        at = self.nl.now() + backoff(self.options, row.attempts + 1)
        o = self.options
        again = await asyncio.to_thread(
            delivery.retry_or_fail, self.nl, row, error, at=at, max_attempts=o.max_attempts
        )
        if again:
            self.stats.retried += 1
        else:
            self.stats.failed += 1

    def _flush(self) -> None:
        """Start recording sent rows in a thread (one flush at a time), so sending goes on."""
        self._last_flush = time.monotonic()
        if self._flushing is not None:
            if not self._flushing.done():
                return  # the previous one is still writing; these wait for the next
            self._flushing.result()  # surface a database error
            self._flushing, self._recording = None, []
        if self._sent:
            self._recording, self._sent = self._sent, []
            self._flushing = asyncio.ensure_future(
                asyncio.to_thread(delivery.mark_sent, self.nl, self._recording)
            )
            if self.on_progress is not None:
                self.on_progress(self.stats)

    async def _settle(self) -> None:
        """At the end: finish recording, record the rest, give unsent claims back.

        The last two writes run on the loop on purpose: nothing else is running by then,
        and a cancellation during shutdown must not skip them."""
        if self._flushing is not None:
            await self._flushing
        if self._sent:
            delivery.mark_sent(self.nl, self._sent)
        self._sent, self._recording, self._flushing = [], [], None
        if self.on_progress is not None:
            self.on_progress(self.stats)
        if self._held:
            delivery.release(self.nl, sorted(self._held))
            self._held.clear()

    def _empty_queue(self) -> None:
        self._ready = []
        while not self._queue.empty():
            self._queue.get_nowait()  # still in _held: released in _settle

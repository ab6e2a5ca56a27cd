"""A gate in front of PDF rendering: a per-client rate limit and a cap on renders at once.

A PDF costs a second or more of CPU, so a handful of clients asking for them in
a loop would take the server. Each PDF route declares ``dependencies=[PdfGate]``:

- more than :data:`PDF_LIMITS` from one client address answers 429 with
  ``Retry-After`` (the sign-up limiter's machinery, scope ``pdf``; shared
  through Redis when ``TREATWISE_REDIS_URL`` is set);
- at most :data:`PDF_SLOTS` renders run at once in a process; a request that
  finds no free slot within :data:`SLOT_WAIT` seconds answers 503 with
  ``Retry-After`` at once, instead of queueing behind the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from fastapi import Depends, HTTPException, Request

from treatwise.newsletter.ratelimit import RateLimiter
from treatwise.web.client import client_address

PDF_LIMITS = "10/minute;60/hour"
"""PDFs one client address may ask for."""

PDF_SLOTS = 2
"""PDFs rendered at once per process (the renders run in threads; one per core)."""

SLOT_WAIT = 1.0
"""Seconds a request waits for a free slot before it is turned away."""

RETRY_AFTER = {"Retry-After": "10"}


def pdf_limiter(request: Request) -> RateLimiter:
    """The per-client PDF limiter, made on first use (tests may set ``app.state.pdf_limiter``)."""
    state = request.app.state
    if getattr(state, "pdf_limiter", None) is None:
        state.pdf_limiter = RateLimiter(state.settings.redis_url, limits=PDF_LIMITS, scope="pdf")
    limiter: RateLimiter = state.pdf_limiter
    return limiter


def pdf_slots(request: Request) -> asyncio.Semaphore:
    """The process's render slots (tests may set ``app.state.pdf_slots``)."""
    state = request.app.state
    if getattr(state, "pdf_slots", None) is None:
        state.pdf_slots = asyncio.Semaphore(PDF_SLOTS)
    slots: asyncio.Semaphore = state.pdf_slots
    return slots


async def pdf_gate(request: Request) -> AsyncIterator[None]:
    """Let the request render a PDF, or refuse it with 429 or 503 (see the module doc)."""
    if not pdf_limiter(request).allow(client_address(request)):
        raise HTTPException(
            429, "Too many PDFs asked for from this address; try again in a minute.", RETRY_AFTER
        )
    slots = pdf_slots(request)
    try:
        await asyncio.wait_for(slots.acquire(), SLOT_WAIT)
    except TimeoutError:
        raise HTTPException(
            503, "The server is busy making other PDFs; try again in a few seconds.", RETRY_AFTER
        ) from None
    try:
        yield
    finally:
        slots.release()


PdfGate = Depends(pdf_gate)
"""Use as ``dependencies=[PdfGate]`` on every route that renders a PDF."""

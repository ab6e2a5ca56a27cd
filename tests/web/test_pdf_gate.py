"""PDF routes: a per-client rate limit (429) and a cap on renders at once (503, quickly)."""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest
from fastapi import FastAPI

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.newsletter.ratelimit import RateLimiter
from treatwise.render import pdf
from treatwise.web import pdf_gate
from treatwise.web.app import create_app

PLAN_PDF = "/plan/microneedling.pdf"


class SlowPdf:
    """Stands in for WeasyPrint: each render waits until the test lets it finish."""

    def __init__(self) -> None:
        self.started = threading.Semaphore(0)
        self.go = threading.Event()
        self.renders = 0

    def __call__(self, html: str, *, css: str = "") -> bytes:
        self.renders += 1
        self.started.release()
        assert self.go.wait(10), "the test never let the render finish"
        return b"%PDF-1.7 fake"


@pytest.fixture
def slow_pdf(monkeypatch: pytest.MonkeyPatch) -> SlowPdf:
    fake = SlowPdf()
    monkeypatch.setattr(pdf, "html_to_pdf", fake)
    return fake


@pytest.fixture
def real_app(settings: Settings, kb: KnowledgeBase) -> FastAPI:
    return create_app(settings, kb)


def _client(app: FastAPI, ip: str = "198.51.100.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")


def test_one_client_asking_for_too_many_pdfs_gets_429(real_app: FastAPI, slow_pdf: SlowPdf) -> None:
    slow_pdf.go.set()
    real_app.state.pdf_limiter = RateLimiter(limits="2/minute", scope="pdf")

    async def scenario() -> list[httpx.Response]:
        async with _client(real_app) as one, _client(real_app, "203.0.113.9") as other:
            mine = [await one.get(PLAN_PDF) for _ in range(3)]
            form = await one.post("/decide.pdf", data={})  # every PDF route shares the limit
            return [*mine, form, await other.get(PLAN_PDF)]

    *mine, form, other = asyncio.run(scenario())
    assert [r.status_code for r in mine] == [200, 200, 429]
    assert mine[2].headers["retry-after"] == "10" and "try again" in mine[2].text
    assert form.status_code == 429
    assert other.status_code == 200  # another client has its own budget
    assert slow_pdf.renders == 3


def test_over_the_render_cap_the_answer_is_a_quick_503(
    real_app: FastAPI, slow_pdf: SlowPdf
) -> None:
    real_app.state.pdf_slots = asyncio.Semaphore(1)

    async def scenario() -> tuple[httpx.Response, httpx.Response, float]:
        async with _client(real_app) as one, _client(real_app, "203.0.113.9") as other:
            first = asyncio.create_task(one.get(PLAN_PDF))
            assert await asyncio.to_thread(slow_pdf.started.acquire, True, 10)
            began = time.monotonic()
            # the only slot is taken (another query: the page cache would make it wait instead)
            second = await other.get(PLAN_PDF, params={"sessions": "4"})
            waited = time.monotonic() - began
            slow_pdf.go.set()
            return await first, second, waited

    first, second, waited = asyncio.run(scenario())
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    assert second.status_code == 503 and second.headers["retry-after"] == "10"
    assert "busy" in second.text
    assert waited < pdf_gate.SLOT_WAIT + 1.5  # turned away, not queued behind the render
    assert slow_pdf.renders == 1

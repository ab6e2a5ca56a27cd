"""The page cache: rendered once per knowledge-base version, ETag/304, gzip and brotli."""

from __future__ import annotations

import asyncio
import gzip

import brotli
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from treatwise.web.caching import CACHEABLE_HEADER, PageCacheMiddleware


def _cache(app: FastAPI) -> PageCacheMiddleware:
    cache = app.page_cache  # type: ignore[attr-defined]
    assert isinstance(cache, PageCacheMiddleware)
    return cache


def test_content_page_is_rendered_once_and_served_from_memory(
    app: FastAPI, client: TestClient
) -> None:
    first = client.get("/treatments/microneedling")
    cache = _cache(app)
    assert "/treatments/microneedling" in cache.pages
    etag = first.headers["etag"]
    assert etag.startswith('"testversion1-')  # keyed by the knowledge-base version
    second = client.get("/treatments/microneedling")
    assert second.headers["etag"] == etag and second.text == first.text
    assert second.headers["cache-control"] == "public, max-age=300"
    assert second.headers["content-security-policy"]  # security headers replayed
    assert "x-treatwise-cacheable" not in second.headers


def test_if_none_match_gives_304(client: TestClient) -> None:
    etag = client.get("/").headers["etag"]
    r = client.get("/", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    assert r.headers["etag"] == etag
    assert client.get("/", headers={"If-None-Match": '"other"'}).status_code == 200


def test_encodings(client: TestClient) -> None:
    plain = client.get("/treatments", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    body = plain.content
    raw = client.stream("GET", "/treatments", headers={"Accept-Encoding": "gzip"})
    with raw as r:
        assert r.headers["content-encoding"] == "gzip"
        assert gzip.decompress(b"".join(r.iter_raw())) == body
    with client.stream("GET", "/treatments", headers={"Accept-Encoding": "gzip, br"}) as r:
        assert r.headers["content-encoding"] == "br"
        assert brotli.decompress(b"".join(r.iter_raw())) == body
        assert r.headers["vary"] == "Accept-Encoding"


def test_head_is_answered_without_a_body(client: TestClient) -> None:
    client.get("/treatments")
    r = client.head("/treatments")
    assert r.status_code == 200 and r.content == b""


def test_not_cached_errors_queries_and_results(app: FastAPI, client: TestClient) -> None:
    client.get("/nope")
    client.get("/treatments?x=1")
    client.get("/healthz")
    client.get("/api/v1/treatments")
    r = client.post("/decide", data={"age": "30", "concerns": ["acne-scars"]})
    assert r.headers["cache-control"] == "no-store"
    cache = _cache(app)
    assert set(cache.pages) == set()
    client.get("/decide")
    assert set(cache.pages) == {"/decide"}


class _SlowPage:
    """A fake ASGI app: renders slowly and counts how often it is asked."""

    def __init__(self, status: int = 200, cacheable: bool = True) -> None:
        self.calls = 0
        self.status = status
        self.cacheable = cacheable

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.calls += 1
        await asyncio.sleep(0.05)  # rendering, while other requests arrive
        headers = [(b"content-type", b"text/html; charset=utf-8")]
        if self.cacheable:
            headers.append((CACHEABLE_HEADER.encode(), b"1"))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": f"page {self.calls}".encode()})


async def _get_many(cache: PageCacheMiddleware, count: int) -> list[list[Message]]:
    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def one() -> list[Message]:
        sent: list[Message] = []

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/p", "query_string": b"", "headers": []}
        await cache(scope, receive, send)
        return sent

    return list(await asyncio.gather(*(one() for _ in range(count))))


def test_a_cold_page_is_rendered_once_for_concurrent_requests() -> None:
    app = _SlowPage()
    cache = PageCacheMiddleware(app, version="v1")
    responses = asyncio.run(_get_many(cache, 20))
    assert app.calls == 1  # one render; the other 19 waited for it
    assert {r[1]["body"] for r in responses} == {b"page 1"}
    assert {r[0]["status"] for r in responses} == {200}
    assert cache.learning == {}


def test_waiters_ask_the_app_when_the_first_answer_is_not_cacheable() -> None:
    app = _SlowPage(status=404, cacheable=False)
    cache = PageCacheMiddleware(app, version="v1")
    responses = asyncio.run(_get_many(cache, 5))
    assert {r[0]["status"] for r in responses} == {404}
    assert app.calls == 5 and cache.pages == {} and cache.learning == {}
    names = {name for r in responses for name, _ in r[0]["headers"]}
    assert CACHEABLE_HEADER.encode() not in names

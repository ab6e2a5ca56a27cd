"""The page cache: rendered once per knowledge-base version, ETag/304, gzip and brotli."""

from __future__ import annotations

import gzip

import brotli
from fastapi import FastAPI
from fastapi.testclient import TestClient

from treatwise.web.caching import PageCacheMiddleware


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

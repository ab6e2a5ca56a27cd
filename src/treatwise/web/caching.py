"""In-memory page cache: request-independent pages are rendered once per knowledge-base version.

A handler opts in through ``render(..., cache=True)``, which marks the
response with :data:`CACHEABLE_HEADER`. This outermost ASGI middleware
stores such a response (GET, no query string, status 200) with an ETag and
gzip/brotli variants, then answers later requests for the path straight from
memory: ``If-None-Match`` → 304, ``Accept-Encoding`` picks the variant. Only
paths that rendered a cacheable 200 are stored, so the cache is bounded by
the site's own pages; the knowledge base is read-only for the app's life.

A cold cache under load must not render the same page once per waiting
request (64 concurrent first requests for the compare page used to stall a
worker for over 10 s): the first request for a path learns it, the others
wait for that result. Compression (brotli at quality 11 takes ~0.2 s for the
compare page) runs in a thread, so the event loop keeps serving meanwhile.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

try:  # brotli is optional: gzip alone is fine
    import brotli  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - depends on the environment
    brotli = None

CACHEABLE_HEADER = "x-treatwise-cacheable"
_MARKER = CACHEABLE_HEADER.encode()
_DROP = {_MARKER, b"content-length", b"content-encoding", b"vary", b"etag", b"cache-control"}
CACHE_CONTROL = b"public, max-age=300"


@dataclass(frozen=True)
class Variant:
    """One encoding of a page with every response header it needs, built once."""

    body: bytes
    headers: list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class CachedPage:
    """One page: its ETag, its encodings and the headers of a 304."""

    etag: bytes
    identity: Variant
    gzip: Variant
    br: Variant | None
    not_modified: list[tuple[bytes, bytes]]

    def choose(self, accept_encoding: bytes) -> Variant:
        if self.br is not None and b"br" in accept_encoding:
            return self.br
        if b"gzip" in accept_encoding:
            return self.gzip
        return self.identity


def make_page(body: bytes, headers: list[tuple[bytes, bytes]], version: str) -> CachedPage:
    """Compress once, compute the ETag (knowledge-base version + body hash), build the headers."""
    etag = f'"{version}-{hashlib.sha256(body).hexdigest()[:16]}"'.encode()
    kept = [(n, v) for n, v in headers if n.lower() not in _DROP]
    common = [*kept, (b"cache-control", CACHE_CONTROL), (b"vary", b"Accept-Encoding")]
    common.append((b"etag", etag))

    def variant(data: bytes, encoding: bytes | None) -> Variant:
        extra = [(b"content-encoding", encoding)] if encoding else []
        return Variant(data, [*common, *extra, (b"content-length", str(len(data)).encode())])

    return CachedPage(
        etag=etag,
        identity=variant(body, None),
        gzip=variant(gzip.compress(body, compresslevel=9, mtime=0), b"gzip"),
        br=variant(brotli.compress(body, quality=11), b"br") if brotli is not None else None,
        not_modified=common,
    )


class PageCacheMiddleware:
    """Serve cached pages from memory; learn them from marked responses."""

    def __init__(self, app: ASGIApp, *, version: str) -> None:
        self.app = app
        self.version = version
        self.pages: dict[str, CachedPage] = {}
        self.learning: dict[str, asyncio.Future[CachedPage | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        cacheable = not scope.get("query_string")
        page = self.pages.get(scope["path"]) if cacheable else None
        if page is None and cacheable and scope["path"] in self.learning:
            page = await asyncio.shield(self.learning[scope["path"]])
        if page is not None:
            await self._replay(page, scope, send)
        elif cacheable and scope["method"] == "GET" and scope["path"] not in self.learning:
            await self._learn(scope, receive, send)
        else:
            await self.app(scope, receive, _strip_marker(send))

    @staticmethod
    async def _replay(page: CachedPage, scope: Scope, send: Send) -> None:
        """The hot path: one pass over the request headers, prebuilt response headers."""
        accept = if_none_match = b""
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                accept = value
            elif name == b"if-none-match":
                if_none_match = value
        if if_none_match and (page.etag in if_none_match or if_none_match == b"*"):
            await send({"type": "http.response.start", "status": 304, "headers": page.not_modified})
            await send({"type": "http.response.body", "body": b""})
            return
        variant = page.choose(bytes(accept))
        await send({"type": "http.response.start", "status": 200, "headers": variant.headers})
        body = b"" if scope["method"] == "HEAD" else variant.body
        await send({"type": "http.response.body", "body": body})

    async def _learn(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Render through the app; store the page if it is cacheable; wake the waiters."""
        path = scope["path"]
        learned: asyncio.Future[CachedPage | None] = asyncio.get_running_loop().create_future()
        self.learning[path] = learned
        try:
            await self._render(scope, receive, send, learned)
        finally:
            del self.learning[path]
            if not learned.done():
                learned.set_result(None)  # not cacheable (or failed): waiters ask the app

    async def _render(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        learned: asyncio.Future[CachedPage | None],
    ) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                names = {n.lower() for n, _ in message.get("headers", [])}
                if _MARKER not in names or message["status"] != 200:
                    start = None
                    await _strip_marker(send)(message)
                    return
                start = message
            elif start is None:
                await send(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    page = await self._store(start, b"".join(chunks), scope["path"])
                    learned.set_result(page)
                    await self._replay(page, scope, send)

        await self.app(scope, receive, capture)

    async def _store(self, start: Message, body: bytes, path: str) -> CachedPage:
        headers = list(start.get("headers", []))
        if (b"content-encoding", b"gzip") in [(n.lower(), v) for n, v in headers]:
            body = gzip.decompress(body)
        page = await asyncio.to_thread(make_page, body, headers, self.version)
        self.pages[path] = page
        return page


def _strip_marker(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            message["headers"] = [(n, v) for n, v in headers if n.lower() != _MARKER]
        await send(message)

    return wrapped

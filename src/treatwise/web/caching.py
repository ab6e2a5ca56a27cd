"""In-memory page cache: request-independent pages are rendered once per knowledge-base version.

A handler opts in through ``render(..., cache=True)``, which marks the
response with :data:`CACHEABLE_HEADER`. This outermost ASGI middleware
stores such a response (GET, no query string, status 200) with an ETag and
gzip/brotli variants, then answers later requests for the path straight from
memory: ``If-None-Match`` → 304, ``Accept-Encoding`` picks the variant. Only
paths that rendered a cacheable 200 are stored, so the cache is bounded by
the site's own pages; the knowledge base is read-only for the app's life.
"""

from __future__ import annotations

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
class CachedPage:
    """One page's bytes, its encodings and the headers to replay."""

    etag: bytes
    identity: bytes
    gzip: bytes
    br: bytes | None
    headers: tuple[tuple[bytes, bytes], ...]


def make_page(body: bytes, headers: list[tuple[bytes, bytes]], version: str) -> CachedPage:
    """Compress once and compute the ETag (knowledge-base version + body hash)."""
    digest = hashlib.sha256(body).hexdigest()[:16]
    kept = tuple((n, v) for n, v in headers if n.lower() not in _DROP)
    return CachedPage(
        etag=f'"{version}-{digest}"'.encode(),
        identity=body,
        gzip=gzip.compress(body, compresslevel=9, mtime=0),
        br=brotli.compress(body, quality=11) if brotli is not None else None,
        headers=(*kept, (b"cache-control", CACHE_CONTROL), (b"vary", b"Accept-Encoding")),
    )


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return b""


def _choose(page: CachedPage, accept: bytes) -> tuple[bytes, bytes | None]:
    if page.br is not None and b"br" in accept:
        return page.br, b"br"
    if b"gzip" in accept:
        return page.gzip, b"gzip"
    return page.identity, None


class PageCacheMiddleware:
    """Serve cached pages from memory; learn them from marked responses."""

    def __init__(self, app: ASGIApp, *, version: str) -> None:
        self.app = app
        self.version = version
        self.pages: dict[str, CachedPage] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        cacheable = not scope.get("query_string")
        page = self.pages.get(scope["path"]) if cacheable else None
        if page is not None:
            await self._replay(page, scope, send)
        elif cacheable and scope["method"] == "GET":
            await self._learn(scope, receive, send)
        else:
            await self.app(scope, receive, _strip_marker(send))

    async def _replay(self, page: CachedPage, scope: Scope, send: Send) -> None:
        headers = [*page.headers, (b"etag", page.etag)]
        if page.etag in _header(scope, b"if-none-match"):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        body, encoding = _choose(page, _header(scope, b"accept-encoding"))
        if encoding is not None:
            headers.append((b"content-encoding", encoding))
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

    async def _learn(self, scope: Scope, receive: Receive, send: Send) -> None:
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
                    await self._store_and_send(start, b"".join(chunks), scope, send)

        await self.app(scope, receive, capture)

    async def _store_and_send(self, start: Message, body: bytes, scope: Scope, send: Send) -> None:
        headers = list(start.get("headers", []))
        if (b"content-encoding", b"gzip") in [(n.lower(), v) for n, v in headers]:
            body = gzip.decompress(body)
        page = make_page(body, headers, self.version)
        self.pages[scope["path"]] = page
        await self._replay(page, scope, send)


def _strip_marker(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            message["headers"] = [(n, v) for n, v in headers if n.lower() != _MARKER]
        await send(message)

    return wrapped

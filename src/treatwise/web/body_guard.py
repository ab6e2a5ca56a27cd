"""Request bodies read once, bounded in size and time, before any route or rate limiter runs.

A hostile client can send a huge body or trickle one byte a second. This ASGI
middleware reads each request body itself, up to the route's limit and within
a deadline, before the application sees the request:

- a ``Content-Length`` above the limit is refused at once (413), unread;
- a body that grows past the limit while streaming is refused (413);
- a body not complete within ``timeout`` seconds is refused (408);
- a client that disconnects mid-body is logged as one line, not a traceback.

The application then receives the buffered body as one message, so the
handlers' own ``request.body()`` / ``request.form()`` never wait on the network.
Answers carry ``Cache-Control: no-store`` and never echo what was sent.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("treatwise.web")

DEFAULT_LIMIT = 64 * 1024
"""Bytes a request body may have unless its path is listed in ``limits``."""

DEFAULT_TIMEOUT = 10.0
"""Seconds a client has to send the whole body."""

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class BodyGuardMiddleware:
    """Buffer request bodies with a size limit per path and a deadline (see module doc)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: Mapping[str, int] | None = None,
        default_limit: int = DEFAULT_LIMIT,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.app = app
        self.limits = dict(limits or {})
        self.default_limit = default_limit
        self.timeout = timeout

    def limit_for(self, path: str) -> int:
        """The body limit for a path: its own entry, else the default."""
        return self.limits.get(path, self.default_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, 413, f"body: too large (at most {limit} bytes)")
            return
        outcome = await _read_body(receive, limit=limit, timeout=self.timeout)
        if isinstance(outcome, bytes):
            await self.app(scope, _replay(outcome, receive), send)
        elif outcome == "disconnect":
            log.info("client left during the request body: %s %s", scope["method"], scope["path"])
        elif outcome == "timeout":
            await _refuse(send, 408, f"body: not received within {self.timeout:g} seconds")
        else:
            await _refuse(send, 413, f"body: too large (at most {limit} bytes)")


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _read_body(receive: Receive, *, limit: int, timeout: float) -> bytes | str:
    """The whole body, or ``"too_large"``, ``"timeout"`` or ``"disconnect"``."""
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return "timeout"
        try:
            async with asyncio.timeout(remaining):  # no task per message, unlike wait_for
                message = await receive()
        except TimeoutError:
            return "timeout"
        if message["type"] == "http.disconnect":
            return "disconnect"
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return "too_large"
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the buffered body once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": [{"loc": ["body"], "field": "body", "msg": message}]}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})

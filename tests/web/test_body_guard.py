"""The body guard: limits and deadlines on request bodies, before any route runs."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from treatwise.web.body_guard import BodyGuardMiddleware


class Recorder:
    """An ASGI app that records the body it was given and answers 200."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        self.bodies.append(message.get("body", b""))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _scope(path: str = "/x", length: int | None = None, method: str = "POST") -> Scope:
    headers = [] if length is None else [(b"content-length", str(length).encode())]
    return {"type": "http", "method": method, "path": path, "headers": headers}


def _run(
    guard: BodyGuardMiddleware, scope: Scope, messages: list[Message | float]
) -> list[Message]:
    """Drive the guard: ``messages`` are what the client sends (a float is a pause in seconds)."""
    sent: list[Message] = []
    queue = list(messages)
    received = 0

    async def receive() -> Message:
        nonlocal received
        while queue and isinstance(queue[0], float):
            await asyncio.sleep(queue.pop(0))  # type: ignore[arg-type]
        received += 1
        if not queue:
            await asyncio.sleep(3600)
        item = queue.pop(0)
        assert isinstance(item, dict)
        return item

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    return sent


def _status(sent: list[Message]) -> int:
    return int(sent[0]["status"])


def _chunk(data: bytes, more: bool = True) -> Message:
    return {"type": "http.request", "body": data, "more_body": more}


def test_a_declared_length_over_the_limit_is_refused_unread() -> None:
    app = Recorder()
    guard = BodyGuardMiddleware(app, limits={"/small": 10})
    sent = _run(guard, _scope("/small", length=4_000_000), [])
    assert _status(sent) == 413
    assert app.bodies == []
    detail: Any = json.loads(sent[1]["body"])["detail"][0]
    assert detail["field"] == "body" and "at most 10 bytes" in detail["msg"]
    assert (b"cache-control", b"no-store") in sent[0]["headers"]


def test_a_streamed_body_over_the_limit_is_refused() -> None:
    app = Recorder()
    guard = BodyGuardMiddleware(app, default_limit=8)
    sent = _run(guard, _scope(), [_chunk(b"12345"), _chunk(b"67890"), _chunk(b"", more=False)])
    assert _status(sent) == 413
    assert app.bodies == []


def test_a_body_within_the_limit_reaches_the_app_whole() -> None:
    app = Recorder()
    guard = BodyGuardMiddleware(app, default_limit=100)
    sent = _run(guard, _scope(), [_chunk(b"hello "), _chunk(b"world", more=False)])
    assert _status(sent) == 200
    assert app.bodies == [b"hello world"]


def test_a_slow_body_times_out() -> None:
    app = Recorder()
    guard = BodyGuardMiddleware(app, timeout=0.2)
    sent = _run(guard, _scope(), [_chunk(b"a"), 0.5, _chunk(b"b", more=False)])
    assert _status(sent) == 408
    assert app.bodies == []


def test_a_client_leaving_mid_body_is_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    app = Recorder()
    guard = BodyGuardMiddleware(app)
    with caplog.at_level(logging.INFO, logger="treatwise.web"):
        sent = _run(guard, _scope("/decide"), [_chunk(b"a"), {"type": "http.disconnect"}])
    assert sent == [] and app.bodies == []
    assert [r.getMessage() for r in caplog.records] == [
        "client left during the request body: POST /decide"
    ]
    assert all(r.exc_info is None for r in caplog.records)


def test_get_requests_pass_through_untouched() -> None:
    app = Recorder()
    guard = BodyGuardMiddleware(app, default_limit=1)
    sent = _run(guard, _scope(length=10, method="GET"), [_chunk(b"0123456789", more=False)])
    assert _status(sent) == 200


def test_the_app_refuses_a_large_subscription_before_the_rate_limiter(client: TestClient) -> None:
    body = json.dumps({"email": "a@example.org", "source": "x" * 8000})
    response = client.post(
        "/api/v1/subscriptions", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["cache-control"] == "no-store"
    assert "a@example.org" not in response.text
    assert "content-security-policy" in response.headers  # refusals carry the security headers

"""Slow clients against a real ``treatwise serve``: /healthz keeps answering, trickles time out.

About 1,100 loopback connections send their request headers, or their request
bodies, one byte a second. The server must keep answering ``/healthz`` within a
second the whole time, and must cut the trickling connections (granian's header
timeout, the body guard's body timeout) rather than hold them forever. The test
is bounded in time and stops the server itself.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from treatwise.cli.serve import HEADER_TIMEOUT_MS
from treatwise.web.body_guard import DEFAULT_TIMEOUT

PORT = 8151  # this worktree's own port range
HEADER_TRICKLERS = 550
BODY_TRICKLERS = 550
RUN_SECONDS = max(HEADER_TIMEOUT_MS / 1000, DEFAULT_TIMEOUT) + 4


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "TREATWISE_ENV": "test",
        "TREATWISE_SECRET_KEY": "slow-client-test-secret-key-32-chars!",
        "TREATWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'slow.db'}",
    }
    command = [sys.executable, "-c", "from treatwise.cli import main; main()"]
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [*command, "serve", "--port", str(PORT)], env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 30
        while asyncio.run(_healthz_seconds()) is None:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        yield f"127.0.0.1:{PORT}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


async def _healthz_seconds(timeout: float = 5.0) -> float | None:
    """Seconds for a whole /healthz answer on a new connection (None: no answer)."""
    began = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", PORT), timeout)
    except OSError:
        return None
    try:
        request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        writer.write(request)
        answer = await asyncio.wait_for(reader.read(), timeout)
    except (OSError, TimeoutError):
        return None
    finally:
        writer.close()
    return time.monotonic() - began if answer.startswith(b"HTTP/1.1 200") else None


async def _trickle(head: bytes, stop: float, connected: list[int]) -> str:
    """Send ``head``, then one byte a second until the server hangs up or ``stop`` passes."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", PORT)
    except OSError:
        return "refused"
    connected[0] += 1
    try:
        writer.write(head)
        while time.monotonic() < stop:
            await writer.drain()
            try:
                data = await asyncio.wait_for(reader.read(1024), 1.0)
            except TimeoutError:
                writer.write(b"a")
                continue
            return "cut" if data == b"" or data.startswith(b"HTTP/1.1 4") else "answered"
        return "held"
    except OSError:
        return "cut"
    finally:
        writer.close()


async def _scenario() -> tuple[list[float | None], dict[str, int]]:
    stop = time.monotonic() + RUN_SECONDS
    header = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    body = (
        b"POST /api/v1/plans HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 9000\r\n\r\n{"
    )
    connected = [0]
    tricklers = [
        *(_trickle(header, stop, connected) for _ in range(HEADER_TRICKLERS)),
        *(_trickle(body, stop, connected) for _ in range(BODY_TRICKLERS)),
    ]
    running = asyncio.gather(*tricklers)
    # Probe once every trickler is connected: opening 1,100 sockets busies this test's
    # own event loop, which would be counted against the server.
    while connected[0] < len(tricklers) and time.monotonic() < stop - DEFAULT_TIMEOUT:
        await asyncio.sleep(0.05)
    probes: list[float | None] = []
    while time.monotonic() < stop:
        probes.append(await _healthz_seconds())
        await asyncio.sleep(0.25)
    outcomes = await running
    return probes, {name: outcomes.count(name) for name in set(outcomes)}


@pytest.mark.slow
def test_healthz_answers_within_a_second_while_a_thousand_clients_trickle(server: str) -> None:
    probes, outcomes = asyncio.run(_scenario())
    answered = [p for p in probes if p is not None]
    assert len(probes) >= 20 and len(answered) == len(probes), f"/healthz unanswered: {probes}"
    assert max(answered) < 1.0, f"slowest /healthz: {max(answered):.2f} s"
    total = HEADER_TRICKLERS + BODY_TRICKLERS
    assert outcomes.get("cut", 0) == total, f"trickling connections not cut: {outcomes}"

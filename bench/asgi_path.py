"""CPU per request of ``POST /api/v1/assessments`` through the whole ASGI stack, in-process.

    .venv/bin/python bench/asgi_path.py [--rounds 4] [--n 300]

Calls the application object directly (no server, no sockets) with N random
intakes and N invalid ones, through the direct path (answered before FastAPI,
``web/app.py``) and through FastAPI's routing (the same app with its direct
table emptied), alternating, and prints the best CPU time per request of each.
What the direct path saves is the difference. Results go into bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from assess import random_intake  # bench/assess.py

from treatwise.config import Settings
from treatwise.knowledge import load
from treatwise.web.app import create_app

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


async def call(app: App, body: bytes) -> None:
    """One POST, its body in one message; the response is dropped."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(_message: dict[str, Any]) -> None:
        return None

    path = "/api/v1/assessments"
    headers = [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/json")]
    headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    await app(scope, receive, send)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run(args: argparse.Namespace, folder: Path) -> None:
    kb = load()
    settings = Settings(
        env="test",
        secret_key="bench-secret-key-000000000000000",
        database_url=f"sqlite:///{folder / 'bench.db'}",
        maildir=folder / "mail",
    )
    direct, routed = create_app(settings, kb), create_app(settings, kb)
    routed.direct.clear()  # type: ignore[attr-defined]
    rng = random.Random(7)
    bodies = {
        "full answer": [json.dumps(random_intake(rng, kb)).encode() for _ in range(args.n)],
        "invalid intake (422)": [b'{"age": 30}'] * args.n,
    }
    apps = {"direct (now)": direct, "through FastAPI (before)": routed}
    for app in apps.values():  # warm-up
        for body in bodies["full answer"][:30]:
            await call(app, body)
    best: dict[tuple[str, str], float] = {}
    for _ in range(args.rounds):
        for name, app in apps.items():
            for kind, batch in bodies.items():
                start = cpu()
                for body in batch:
                    await call(app, body)
                per_request = (cpu() - start) / len(batch) * 1e6
                key = (name, kind)
                best[key] = min(best.get(key, per_request), per_request)
    print("| path | " + " | ".join(bodies) + " |")
    print("|---|" + "---|" * len(bodies))
    for name in apps:
        cells = " | ".join(f"{best[(name, kind)]:,.0f} µs" for kind in bodies)
        print(f"| {name} | {cells} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="treatwise-bench-") as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()

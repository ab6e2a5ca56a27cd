"""Benchmark the decision aid: ``assess()`` in-process, then the assessments API under load.

    .venv/bin/python bench/assess.py [--n 10000] [--seconds 10] [--connections 32] [--workers 1]

Part 1 times ``assess(kb, intake)`` over N random intakes (fixed seed; parsing
is timed separately). Part 2 starts the app under granian on 127.0.0.1 (a
free port), loads it with wrk (Debian package) posting a rotating set of
intakes, prints requests/s and latency percentiles, then stops the server by
its PID. Results go into bench/README.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from treatwise.domain.decide import assess, parse_intake
from treatwise.knowledge import KnowledgeBase, load

ROOT = Path(__file__).resolve().parent.parent


def random_intake(rng: random.Random, kb: KnowledgeBase) -> dict[str, Any]:
    """A plausible intake: 1-4 concerns, 0-4 conditions, optional fields half the time."""
    data: dict[str, Any] = {
        "age": rng.randint(14, 85),
        "concerns": rng.sample(sorted(kb.concerns), rng.randint(1, 4)),
        "conditions": rng.sample(sorted(kb.conditions), rng.randint(0, 4)),
    }
    if rng.random() < 0.5:
        data["sex"] = rng.choice(["female", "male", "other"])
    if rng.random() < 0.5:
        data["fitzpatrick"] = rng.randint(1, 6)
    if rng.random() < 0.5:
        data["setting"] = rng.choice(["medical", "salon", "home"])
    if rng.random() < 0.5:
        data["preferences"] = {
            "max_downtime_days": rng.randint(0, 10),
            "avoid_needles": rng.random() < 0.3,
            "avoid_injections": rng.random() < 0.3,
            "budget_per_session_usd": rng.choice([100, 300, 800]),
            "max_sessions": rng.randint(1, 8),
        }
    return data


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_assess(kb: KnowledgeBase, n: int) -> None:
    rng = random.Random(20261124)
    raw = [random_intake(rng, kb) for _ in range(n)]
    parse_times, assess_times = [], []
    for data in raw[:200]:  # warm-up
        assess(kb, parse_intake(kb, data))
    for data in raw:
        t0 = time.perf_counter_ns()
        intake = parse_intake(kb, data)
        t1 = time.perf_counter_ns()
        assess(kb, intake)
        t2 = time.perf_counter_ns()
        parse_times.append((t1 - t0) / 1e3)
        assess_times.append((t2 - t1) / 1e3)
    print(
        f"assess() over {n} random intakes, {len(kb.treatments)} treatments, "
        f"{len(kb.rules.rules)} rules (microseconds):"
    )
    for name, values in (("assess", assess_times), ("parse_intake", parse_times)):
        print(
            f"  {name:13} median {statistics.median(values):7.1f}  p99 "
            f"{percentile(values, 99):7.1f}  max {max(values):8.1f}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_healthy(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not become healthy at {url}")


WRK_SCRIPT = """
local bodies = {}
for line in io.lines("%s") do bodies[#bodies + 1] = line end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i %% #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
"""


def bench_http(kb: KnowledgeBase, *, seconds: int, connections: int, workers: int) -> None:
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk not found (apt-get install wrk): HTTP part skipped")
        return
    rng = random.Random(7)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        bodies = Path(tmp) / "bodies.jsonl"
        bodies.write_text("\n".join(json.dumps(random_intake(rng, kb)) for _ in range(500)) + "\n")
        script = Path(tmp) / "post.lua"
        script.write_text(WRK_SCRIPT % bodies)
        env = {
            **os.environ,
            "TREATWISE_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "TREATWISE_MAILDIR": f"{tmp}/mail",
        }
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "granian"),
                "--interface",
                "asgi",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--no-access-log",
                "treatwise.web.app:asgi",
            ],
            env=env,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_healthy(f"http://127.0.0.1:{port}/healthz")
            url = f"http://127.0.0.1:{port}/api/v1/assessments"
            subprocess.run(
                [wrk, "-t2", "-c16", "-d3s", "-s", str(script), url],
                check=True,
                capture_output=True,
            )  # warm-up
            out = subprocess.run(
                [
                    wrk,
                    "-t2",
                    f"-c{connections}",
                    f"-d{seconds}s",
                    "--latency",
                    "-s",
                    str(script),
                    url,
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            print(
                f"POST /api/v1/assessments, granian {workers} worker(s), wrk -t2 "
                f"-c{connections} -d{seconds}s on loopback (server and wrk share the cores):"
            )
            print("\n".join("  " + line for line in out.strip().splitlines()))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-http", action="store_true", help="only time assess()")
    args = parser.parse_args()
    kb = load()
    bench_assess(kb, args.n)
    if not args.no_http:
        bench_http(kb, seconds=args.seconds, connections=args.connections, workers=args.workers)


if __name__ == "__main__":
    main()

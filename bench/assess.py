"""Benchmark the decision aid: ``assess()`` in-process, then the assessments API against nginx.

    .venv/bin/python bench/assess.py [--n 10000] [--seconds 10] [--runs 3]
        [--connections 32] [--workers 1 2] [--no-http] [--no-bounds]

Part 1 times ``assess(kb, intake)`` over N random intakes (fixed seed; parsing
is timed separately). Part 2 (:func:`bench_http`) starts ``treatwise serve``
on 127.0.0.1 (a free port) and nginx beside it serving one of the API's
answers as a static file, alternates wrk runs on both (the API with a
rotating set of random intakes), and prints requests/s, latency and each
pair's ratio to nginx, as bench/web.py does. Then two bounds, each against
nginx in the same way: the same API answering an invalid intake (422: the
body guard, parsing and the error, no assessment), and granian serving the
same answer's bytes from a bare ASGI app (bench/bare_asgi.py: no framework,
no work), what any Python answer behind granian can reach at most. Servers
are stopped by their PID. Results go into bench/README.md by hand.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import web  # bench/web.py: the servers, wrk and the nginx comparison

from treatwise.domain.decide import assess, parse_intake, questions
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
    unanswered = _unanswered_times(kb, rng, max(n // 20, 50))
    for name, values in (
        ("assess", assess_times),
        ("parse_intake", parse_times),
        ("unanswered", unanswered),
    ):
        print(
            f"  {name:13} median {statistics.median(values):7.1f}  p99 "
            f"{percentile(values, 99):7.1f}  max {max(values):8.1f}"
        )
    print(
        "  (unanswered: the decide form with no health question answered, so every "
        "question it asks is 'not sure'; the longest answers)"
    )


def _unanswered_times(kb: KnowledgeBase, rng: random.Random, n: int) -> list[float]:
    """``assess()`` times for intakes whose every asked health question is ``unsure``."""
    times = []
    for _ in range(n):
        data = random_intake(rng, kb)
        asked = questions(kb, sex=data.get("sex"), concerns=data["concerns"])
        data["conditions"] = []
        data["unsure"] = [question.id for question in asked]
        intake = parse_intake(kb, data)
        t0 = time.perf_counter_ns()
        assess(kb, intake)
        times.append((time.perf_counter_ns() - t0) / 1e3)
    return times


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


def bench_http(kb: KnowledgeBase, args: argparse.Namespace) -> None:
    """The API against nginx serving one of its answers as a static file, in one run.

    For each worker count: ``treatwise serve`` on a free port (with Redis, so
    that several workers share their limits) and nginx beside it (bench/web.py's
    set-up: 2 workers, sendfile) serving the bytes the API returned for one
    typical intake. After a warm-up of each, wrk runs alternate on the API
    (posting 500 rotating random intakes) and on nginx, ``--runs`` times, and
    each pair's ratio and the median are printed, as bench/web.py does.
    """
    if shutil.which("wrk") is None or shutil.which("nginx") is None:
        print("wrk or nginx not found (make bench-system): HTTP part skipped")
        return
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="treatwise-bench-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx workers run as an unprivileged user
        bodies = tmp / "bodies.jsonl"
        bodies.write_text("\n".join(json.dumps(random_intake(rng, kb)) for _ in range(500)) + "\n")
        script = tmp / "post.lua"
        script.write_text(WRK_SCRIPT % bodies)
        env = web.app_env(tmp)
        print("| server | run | requests/s | p50 ms | p99 ms | API / nginx |")
        print("|---|---|---|---|---|---|")
        invalid = tmp / "invalid.lua"
        invalid.write_text(INVALID_SCRIPT)
        for workers in args.workers:
            port = web.free_port()
            base = f"http://127.0.0.1:{port}"
            api = base + "/api/v1/assessments"
            with web.started(web.app_command("granian", port, workers), base + "/healthz", env):
                request = urllib.request.Request(
                    api,
                    data=json.dumps(web.INTAKE).encode(),
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request) as response:
                    answer = response.read()
                with web.serving_with_nginx(tmp, "/answer", answer, env) as nginx_url:
                    web.measure_against_nginx(
                        f"granian ×{workers}: POST /api/v1/assessments ({len(answer):,} B answer)",
                        api,
                        nginx_url,
                        args,
                        script=script,
                    )
                    if not args.bounds:
                        continue
                    web.measure_against_nginx(
                        f"granian ×{workers}: the same API, an invalid intake (422, no assessment)",
                        api,
                        nginx_url,
                        args,
                        script=invalid,
                    )
                    with bare_app(tmp, answer, workers, env) as bare_url:
                        web.measure_against_nginx(
                            f"granian ×{workers}: bare ASGI app, the same answer's bytes, no work",
                            bare_url,
                            nginx_url,
                            args,
                            script=script,
                        )


INVALID_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"age": 30}'
"""


@contextmanager
def bare_app(tmp: Path, answer: bytes, workers: int, env: dict[str, str]) -> Iterator[str]:
    """granian serving bench/bare_asgi.py: the answer's bytes for any request, no work."""
    (tmp / "bare.json").write_bytes(answer)
    port = web.free_port()
    granian = str(Path(sys.executable).parent / "granian")
    command = [granian, "--interface", "asgi", "--no-ws", *web.bind(port, workers), "bare_asgi:app"]
    bench_dir = str(Path(__file__).parent)
    bare_env = {**env, "BARE_ASGI_BODY": str(tmp / "bare.json"), "PYTHONPATH": bench_dir}
    url = f"http://127.0.0.1:{port}/"
    with web.started(command, url, bare_env):
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-http", action="store_true", help="only time assess()")
    parser.add_argument(
        "--no-bounds",
        dest="bounds",
        action="store_false",
        help="skip the bounds: the API answering a 422, and a bare ASGI app with the same bytes",
    )
    args = parser.parse_args()
    args.gzip = False  # JSON clients and nginx alike: identity bodies
    kb = load()
    bench_assess(kb, args.n)
    if not args.no_http:
        bench_http(kb, args)


if __name__ == "__main__":
    main()

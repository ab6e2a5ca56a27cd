"""Benchmark the web app against nginx serving the same page as a static file, in one run.

    .venv/bin/python bench/web.py [--seconds 10] [--runs 3] [--connections 64]
        [--workers 1 2] [--servers granian uvicorn] [--page /compare/microneedling-vs-mesotherapy]

For each configuration it starts the server on 127.0.0.1 (free port) and,
beside it, nginx (Debian) serving the very bytes the app returned for the page
as a static file, from a temp folder, with its own config (2 workers,
sendfile, no access log). After a 3 s warm-up of each, it alternates
``wrk -t2 -c<connections> -d<seconds>s --latency`` runs on the app and on
nginx ``--runs`` times, so that each pair shares the same minute of a noisy
machine, and prints requests/s, p50/p99 and each pair's ratio, then the
median ratio. The assessments API is then loaded with a wrk Lua script posting
one realistic intake. With ``--gzip`` wrk sends ``Accept-Encoding: gzip`` to
both (the app answers from its pre-compressed cache; nginx uses
``gzip_static`` with a ``.gz`` made at level 9). Every server is stopped by
its PID. wrk and the servers share the machine's cores, so every figure is a
lower bound.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

INTAKE = {
    "age": 34,
    "sex": "female",
    "fitzpatrick": 4,
    "concerns": ["acne-scars", "enlarged-pores"],
    "conditions": ["isotretinoin-recent"],
    "setting": "medical",
    "preferences": {"max_downtime_days": 3, "avoid_needles": False, "max_sessions": 6},
}
NGINX_CONF = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  types {{ text/html html; }}
  gzip_static on;
  server {{
    listen 127.0.0.1:{port};
    root {tmp}/www;
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@contextmanager
def started(command: list[str], ready_url: str, env: dict[str, str]) -> Iterator[int]:
    """Run a server as a simple command; stop it by PID afterwards."""
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(ready_url, proc)
        yield proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wrk(
    url: str, *, seconds: int, connections: int, script: Path | None = None, gzip: bool = False
) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if gzip:
        command[1:1] = ["-H", "Accept-Encoding: gzip"]
    if script:
        command[1:1] = ["-s", str(script)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", out).group(1)) for p in ("50", "99")}  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    return {
        "rps": rps,
        "p50": lat["50"],
        "p99": lat["99"],
        "non2xx": float(errors.group(1)) if errors else 0.0,
        "timeouts": float(timeouts.group(1)) if timeouts else 0.0,
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def measure(label: str, url: str, args: argparse.Namespace, script: Path | None = None) -> None:
    options = {"connections": args.connections, "script": script}
    wrk(url, seconds=3, **options)  # warm-up
    for run in range(1, args.runs + 1):
        print(_row(label, run, wrk(url, seconds=args.seconds, **options)), flush=True)


def measure_against_nginx(
    label: str, url: str, nginx_url: str, args: argparse.Namespace, script: Path | None = None
) -> None:
    """Alternate app and nginx runs so that each pair shares the same minute of the machine.

    ``script`` (a wrk Lua script, for example one that POSTs) applies to the app's runs.
    """
    options = {"connections": args.connections, "gzip": args.gzip}
    wrk(url, seconds=3, script=script, **options)  # warm-up
    wrk(nginx_url, seconds=3, **options)
    ratios = []
    for run in range(1, args.runs + 1):
        app = wrk(url, seconds=args.seconds, script=script, **options)
        nginx = wrk(nginx_url, seconds=args.seconds, **options)
        ratios.append(app["rps"] / nginx["rps"])
        print(_row(label, run, app, f" {ratios[-1]:.2f}×"), flush=True)
        print(_row("nginx ×2, static file", run, nginx, " 1.00×"), flush=True)
    ratios.sort()
    print(
        f"\n{label}: ratio to nginx median {ratios[len(ratios) // 2]:.2f}× "
        f"(range {ratios[0]:.2f}–{ratios[-1]:.2f}×, {len(ratios)} interleaved pairs)\n",
        flush=True,
    )


def _row(label: str, run: int, r: dict[str, float], ratio: str = "") -> str:
    extra = f" non-2xx {r['non2xx']:.0f}" if r["non2xx"] else ""
    extra += f" timeouts {r['timeouts']:.0f}" if r["timeouts"] else ""
    figures = f"{r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f}"
    return f"| {label} | {run} | {figures} |{ratio} |{extra}"


def app_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment for ``treatwise serve`` in a benchmark: a temp SQLite file and Maildir."""
    return {
        **os.environ,
        "TREATWISE_ENV": "test",
        "TREATWISE_SECRET_KEY": "bench",
        "TREATWISE_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "TREATWISE_MAILDIR": str(tmp / "mail"),
        # several workers must share their rate limits (treatwise serve refuses otherwise)
        "TREATWISE_REDIS_URL": "redis://127.0.0.1:6379/15",
        **extra,
    }


def bind(port: int, workers: int) -> list[str]:
    """The address, port and worker options that granian, uvicorn and treatwise serve share."""
    return ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]


def app_command(server: str, port: int, workers: int) -> list[str]:
    bin_dir = Path(sys.executable).parent
    if server == "granian":
        return [str(bin_dir / "treatwise"), "serve", *bind(port, workers)]
    return [
        str(bin_dir / "uvicorn"),
        "treatwise.web.app:asgi",
        "--factory",
        *bind(port, workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--servers", nargs="+", default=["granian"])
    parser.add_argument("--page", default="/compare/microneedling-vs-mesotherapy")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument(
        "--gzip", action="store_true", help="send Accept-Encoding: gzip (nginx: gzip_static)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="treatwise-bench-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx workers run as an unprivileged user
        env = app_env(tmp)
        script = tmp / "assess.lua"
        body = json.dumps(INTAKE).replace("\\", "\\\\").replace("'", "\\'")
        script.write_text(
            "wrk.method = 'POST'\nwrk.headers['Content-Type'] = 'application/json'\n"
            f"wrk.body = '{body}'\n"
        )
        print("| server | run | requests/s | p50 ms | p99 ms | page / nginx |")
        print("|---|---|---|---|---|---|")
        for server in args.servers:
            for workers in args.workers:
                port = free_port()
                base = f"http://127.0.0.1:{port}"
                with started(app_command(server, port, workers), base + "/healthz", env):
                    with urllib.request.urlopen(base + args.page) as response:  # identity
                        page_bytes = response.read()
                    with serving_with_nginx(tmp, args.page, page_bytes, env) as nginx_url:
                        label = f"{server} ×{workers}: {args.page}"
                        measure_against_nginx(label, base + args.page, nginx_url, args)
                    if not args.skip_api:
                        measure(
                            f"{server} ×{workers}: POST /api/v1/assessments",
                            base + "/api/v1/assessments",
                            args,
                            script,
                        )


@contextmanager
def serving_with_nginx(
    tmp: Path, page: str, page_bytes: bytes, env: dict[str, str]
) -> Iterator[str]:
    """nginx serving the bytes the app returned, as a static file (and its level-9 ``.gz``)."""
    www = tmp / "www" / page.strip("/")
    www.mkdir(parents=True, exist_ok=True)
    (www / "index.html").write_bytes(page_bytes)
    (www / "index.html.gz").write_bytes(gzip.compress(page_bytes, compresslevel=9))
    port = free_port()
    (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, port=port))
    url = f"http://127.0.0.1:{port}{page}"
    with started(["nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], url, env):
        yield url


if __name__ == "__main__":
    main()

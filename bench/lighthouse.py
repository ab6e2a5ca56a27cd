"""Lighthouse scores and page weight for each page type (npm ``lighthouse`` on Debian's Chromium).

    .venv/bin/python bench/lighthouse.py [--preset mobile|desktop] [--runs N] [--pages compare ...]

Starts ``treatwise serve`` on 127.0.0.1 (free port, temp SQLite), runs
Lighthouse once per page (GET pages; the decision-aid result is a POST, which
Lighthouse cannot load, and the 404 page, which Lighthouse refuses to audit, are
covered by the axe/vnu browser tests instead),
prints a Markdown table of the four category scores, the performance metrics
(first and largest contentful paint, total blocking time, layout shift, speed
index) and the transferred bytes, then stops the server by PID. With
``--runs N`` each page is audited N times (Lighthouse varies from run to run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from web import app_env, free_port, started

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "/",
    "treatments": "/treatments",
    "treatment": "/treatments/microneedling",
    "compare": "/compare/microneedling-vs-mesotherapy",
    "compare picker": "/compare",
    "decide (form)": "/decide",
    "article": "/articles/microneedling-or-mesotherapy",
    "comparison article": "/articles/microneedling-vs-mesotherapy",
    "articles": "/articles",
    "about": "/about",
    "editorial policy": "/about/editorial-policy",
    "privacy": "/privacy",
    "contact": "/contact",
}
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run --disable-quic "
    "--disable-dev-shm-usage"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {  # audit id: (label, unit divisor, unit)
    "first-contentful-paint": ("FCP", 1000, "s"),
    "largest-contentful-paint": ("LCP", 1000, "s"),
    "total-blocking-time": ("TBT", 1, "ms"),
    "cumulative-layout-shift": ("CLS", 1, ""),
    "speed-index": ("SI", 1000, "s"),
}


def lighthouse(url: str, out: Path, preset: str) -> dict[str, object]:
    command = [
        str(ROOT / "node_modules" / ".bin" / "lighthouse"),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--chrome-flags={FLAGS}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
    run = subprocess.run(command, env=env, timeout=180, capture_output=True, text=True)
    if not out.exists():
        raise RuntimeError(f"lighthouse failed on {url}: {run.stderr[-500:]}")
    report: dict[str, object] = json.loads(out.read_text())
    return report


def _metric(value: float, divisor: int, unit: str) -> str:
    return f"{value / divisor:.0f} {unit}" if unit == "ms" else f"{value / divisor:.2f}{unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument("--runs", type=int, default=1, help="audits per page")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--port", type=int, default=0, help="serve on this port (0: a free one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="treatwise-lh-") as tmp_name:
        tmp = Path(tmp_name)
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        env = app_env(tmp, TREATWISE_BASE_URL=base)
        command = [str(Path(sys.executable).parent / "treatwise"), "serve", "--port", str(port)]
        print(
            "| page | performance | accessibility | best practices | SEO "
            "| FCP · LCP · TBT · CLS · SI | weight (KB) |"
        )
        print("|---|---|---|---|---|---|---|")
        with started(command, base + "/healthz", env):
            for name, path in [(n, PAGES[n]) for n in args.pages for _ in range(args.runs)]:
                for _attempt in range(3):  # trace recording flakes now and then (NO_NAVSTART)
                    report = lighthouse(base + path, tmp / "lh.json", args.preset)
                    if not report.get("runtimeError"):
                        break
                if report.get("runtimeError"):
                    print(f"| {name} `{path}` | error: {report['runtimeError']} |", flush=True)
                    continue
                cats = report["categories"]  # type: ignore[index]
                scores = [round(100 * (cats[c]["score"] or 0)) for c in CATEGORIES]
                weight = report["audits"]["total-byte-weight"]["numericValue"]  # type: ignore[index]
                failed = [
                    a["id"]
                    for a in report["audits"].values()  # type: ignore[attr-defined]
                    if a.get("score") is not None
                    and a["score"] < 1
                    and a.get("scoreDisplayMode") in ("binary", "numeric")
                ]
                cells = " | ".join(str(s) for s in scores)
                metrics = " · ".join(
                    _metric(report["audits"][a]["numericValue"], div, unit)  # type: ignore[index]
                    for a, (_label, div, unit) in METRICS.items()
                )
                row = f"| {name} `{path}` | {cells} | {metrics} | {weight / 1024:.1f} |"
                print(row, flush=True)
                if failed:
                    print(f"<!-- {name}: below 1: {', '.join(failed)} -->", flush=True)


if __name__ == "__main__":
    main()

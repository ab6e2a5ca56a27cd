"""Benchmark the decision aid's one-page A4 handout (``POST /decide.pdf``), in-process.

    .venv/bin/python bench/handout.py [--n 30] [--warmup 3]

For each of the four users of issue 13 (and one with many "not sure" answers),
times the two steps of the handout separately: the HTML (assess + template)
and the PDF (WeasyPrint), after ``--warmup`` renders (the first WeasyPrint call
loads fonts). Checks each PDF is one page with ``pdfinfo`` when it is
installed. Prints median and 95th percentile in milliseconds; results go into
bench/README.md by hand. Nothing is written except temporary PDFs, deleted after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from starlette.datastructures import FormData

from treatwise.knowledge import load
from treatwise.render import pdf
from treatwise.web.intake_form import parse_form, validate
from treatwise.web.pages.decide import handout_html
from treatwise.web.templating import STATIC_DIR

USERS: dict[str, list[tuple[str, str]]] = {
    "hair-loss": [("age", "29"), ("sex", "female"), ("concerns", "hair-loss")],
    "pregnant": [
        ("age", "31"),
        ("sex", "female"),
        ("concerns", "acne-scars"),
        ("cond-pregnant", "yes"),
    ],
    "scars-type-3": [
        ("age", "27"),
        ("sex", "male"),
        ("fitzpatrick", "3"),
        ("concerns", "acne-scars"),
    ],
    "scars-and-chin": [
        ("age", "42"),
        ("sex", "female"),
        ("concerns", "acne-scars"),
        ("concerns", "double-chin"),
        ("considering", "mesotherapy"),
    ],
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="timed renders per user")
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    kb = load()
    css = (STATIC_DIR / "css" / "decide-handout.css").read_text(encoding="utf-8")
    have_pdfinfo = shutil.which("pdfinfo") is not None
    today = dt.date(2026, 12, 6)
    print(f"{'user':16} {'html ms (median / p95)':>24} {'pdf ms (median / p95)':>24}  pages")
    for name, fields in USERS.items():
        form = parse_form(FormData(fields), kb)
        intake = validate(kb, form)
        assert intake is not None, form.errors
        html_ms: list[float] = []
        pdf_ms: list[float] = []
        body = b""
        for i in range(args.warmup + args.n):
            t0 = time.perf_counter()
            html = handout_html(kb, form, intake, today=today, base_url="https://treatwise.example")
            t1 = time.perf_counter()
            body = pdf.html_to_pdf(html, css=css)
            t2 = time.perf_counter()
            if i >= args.warmup:
                html_ms.append((t1 - t0) * 1000)
                pdf_ms.append((t2 - t1) * 1000)
        pages = "?"
        if have_pdfinfo:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "h.pdf"
                path.write_bytes(body)
                info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
                found = re.search(r"^Pages:\s+(\d+)", info, re.M)
                pages = found.group(1) if found else "?"
        print(
            f"{name:16} {statistics.median(html_ms):11.1f} / {percentile(html_ms, 95):6.1f}"
            f" {statistics.median(pdf_ms):15.1f} / {percentile(pdf_ms, 95):6.1f}  {pages:>5}"
        )


if __name__ == "__main__":
    main()

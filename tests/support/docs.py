"""Docs generated from the data: a test compares them and, when asked, rewrites them.

``TREATWISE_UPDATE_DOCS=1`` makes the tests write what the data says instead of
failing; run the test file it names, then read the diff before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


def assert_current(
    doc: Path, expected: str, *, test_file: str, block: re.Pattern[str] | None = None
) -> None:
    """``doc`` (or its ``block``, whose group 2 is the generated part) equals ``expected``."""
    text = doc.read_text(encoding="utf-8")
    start, end = 0, len(text)
    if block is not None:
        match = block.search(text)
        assert match, f"{doc.name} lacks the markers of its generated block"
        start, end = match.start(2), match.end(2)
    if os.environ.get("TREATWISE_UPDATE_DOCS") == "1":
        doc.write_text(text[:start] + expected + text[end:], encoding="utf-8")
        return
    assert text[start:end] == expected, (
        f"{doc.name} is out of date: run TREATWISE_UPDATE_DOCS=1 .venv/bin/pytest {test_file}"
    )

"""The skip-or-fail rule of tests/conftest.py for system tools (pdftotext, java)."""

from __future__ import annotations

import os

import pytest

REQUIRE_ALL = os.environ.get("TREATWISE_REQUIRE_ALL") == "1"


def require_tool(available: bool, what: str, hint: str) -> None:
    """Skip on a laptop, fail under CI (TREATWISE_REQUIRE_ALL=1), when a tool is missing."""
    if available:
        return
    message = f"{what} is not available: {hint}"
    if REQUIRE_ALL:
        pytest.fail(message + " (TREATWISE_REQUIRE_ALL=1)")
    pytest.skip(message)

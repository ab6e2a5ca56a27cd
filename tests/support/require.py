"""The rule for optional system parts (chromium, PostgreSQL, Redis, pdftotext, java).

On a laptop without them the test skips with a hint; under CI
(``TREATWISE_REQUIRE_ALL=1``) a missing part fails the run instead.
"""

from __future__ import annotations

import os

import pytest

REQUIRE_ALL = os.environ.get("TREATWISE_REQUIRE_ALL") == "1"


def require(available: bool, what: str, hint: str) -> None:
    """Skip (laptop) or fail (CI) when a system part is missing."""
    if available:
        return
    message = f"{what} is not available: {hint}"
    if REQUIRE_ALL:
        pytest.fail(message + " (TREATWISE_REQUIRE_ALL=1)")
    pytest.skip(message)

"""Decision-aid fixtures and the Hypothesis profiles.

Profiles: ``ci`` (2,000 examples per property) when ``TREATWISE_REQUIRE_ALL=1``
or ``CI`` is set, else ``dev`` (300). Choose one explicitly with
``HYPOTHESIS_PROFILE=ci``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from treatwise.domain.decide import Assessment, assess, parse_intake
from treatwise.knowledge import KnowledgeBase

settings.register_profile(
    "ci",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.register_profile("dev", max_examples=300, deadline=None)
_IN_CI = os.environ.get("TREATWISE_REQUIRE_ALL") == "1" or bool(os.environ.get("CI"))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if _IN_CI else "dev"))


@pytest.fixture(scope="session")
def decide(kb: KnowledgeBase) -> Callable[[dict[str, Any]], Assessment]:
    """Parse an intake dict and assess it with the packaged knowledge base."""

    def run(data: dict[str, Any]) -> Assessment:
        return assess(kb, parse_intake(kb, data))

    return run

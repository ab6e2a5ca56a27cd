"""Helpers for browser tests: page types, screenshots, axe, skip-or-fail for tools."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
REQUIRE_ALL = os.environ.get("TREATWISE_REQUIRE_ALL") == "1"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (390, 1280)

INTAKE = {
    "concerns": ["acne-scars", "enlarged-pores"],
    "age": "34",
    "sex": "female",
    "fitzpatrick": "4",
    "setting": "medical",
    "condition": "isotretinoin-recent",
    "max_downtime_days": "3",
    "matters": "evidence",
}


def require_tool(available: bool, what: str, hint: str) -> None:
    """Skip on a laptop, fail under CI (TREATWISE_REQUIRE_ALL=1), when a tool is missing."""
    if available:
        return
    message = f"{what} is not available: {hint}"
    if REQUIRE_ALL:
        pytest.fail(message + " (TREATWISE_REQUIRE_ALL=1)")
    pytest.skip(message)


def fill_intake(page: Any, intake: dict[str, Any] = INTAKE) -> None:
    """Fill the /decide form the way a person would (labels, not selectors)."""
    for concern in intake["concerns"]:
        page.check(f'input[name="concerns"][value="{concern}"]')
    page.get_by_role("textbox", name="Age In whole years").fill(intake["age"])
    page.check(f'input[name="sex"][value="{intake["sex"]}"]')
    page.check(f'input[name="fitzpatrick"][value="{intake["fitzpatrick"]}"]')
    page.check(f'input[name="cond-{intake["condition"]}"][value="yes"]')
    page.check(f'input[name="setting"][value="{intake["setting"]}"]')
    page.get_by_label("Most days of downtime you can accept").fill(intake["max_downtime_days"])
    page.check(f'input[name="matters"][value="{intake["matters"]}"]')


def screenshots(page: Any, name: str) -> list[Path]:
    """Full-page screenshots at 390 and 1280 px wide."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        path = SHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size({"width": 1280, "height": 900})
    return paths


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core violations at WCAG 2.2 AA."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}}
    result = Axe().run(page, options=options)
    violations: list[dict[str, Any]] = result.response["violations"]
    return violations

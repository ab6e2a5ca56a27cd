"""WCAG 1.4.10 reflow: no page type scrolls sideways on a 390 px phone.

Wide content (tables, long URLs, citation lists) must wrap or scroll inside its
own box; the page itself never gets wider than the viewport.
"""

from __future__ import annotations

from typing import Any

import pytest
from browserkit import fill_intake

pytestmark = pytest.mark.browser

PATHS = [
    "/",
    "/treatments",
    "/treatments/microneedling",
    "/treatments/mesotherapy",
    "/compare",
    "/compare/microneedling-vs-mesotherapy",
    "/compare/prp-vs-cryolipolysis",
    "/decide",
    "/plan/microneedling",
    "/plan/topical-minoxidil",
    "/articles",
    "/articles/microneedling-vs-mesotherapy",
    "/articles/prp-vs-topical-retinoid",
    "/search?q=mesoterapy",
    "/newsletter",
]


@pytest.mark.parametrize("path", PATHS)
def test_page_does_not_scroll_sideways_at_390px(server: str, browser: Any, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        context.close()
    assert width <= 390, f"{path} is {width}px wide at a 390px viewport"


def test_decide_result_does_not_scroll_sideways(server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(server + "/decide")
        fill_intake(page)
        page.get_by_role("button", name="See my options").click()
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert "See a doctor first" in page.content()
    finally:
        context.close()
    assert width <= 390, f"the decision-aid result is {width}px wide at 390px"

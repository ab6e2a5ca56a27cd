"""WCAG 1.4.10 reflow: no page type scrolls sideways on a 390 px phone.

Wide content (tables, long URLs, citation lists, long words in headings) must
wrap or scroll inside its own box; the page itself never gets wider than the
viewport, with every folded section (``<details>``) opened as a reader may.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.browserkit import fill_intake, render_everything

from treatwise.knowledge import load

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
    "/safety",
    "/plan/microneedling",
    "/plan/topical-minoxidil",
    "/articles",
    "/articles/microneedling-vs-mesotherapy",
    "/articles/prp-vs-topical-retinoid",
    "/search?q=mesoterapy",
    "/newsletter",
    "/sources",
]
PATHS += [f"/treatments/{t}" for t in sorted(load().treatments) if f"/treatments/{t}" not in PATHS]


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A page in a 390 × 844 px viewport, closed after the test."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize("path", PATHS)
def test_page_does_not_scroll_sideways_at_390px(server: str, phone: Any, path: str) -> None:
    phone.goto(server + path)
    render_everything(phone)
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width}px wide at a 390px viewport (folds open)"


def test_decide_result_does_not_scroll_sideways(server: str, phone: Any) -> None:
    phone.goto(server + "/decide")
    fill_intake(phone)
    phone.get_by_role("button", name="See my answer").click()
    phone.wait_for_load_state()
    render_everything(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert "See a doctor before any treatment" in phone.content()
    assert width <= 390, f"the decision-aid result is {width}px wide at 390px"


def test_a_footnote_link_shows_its_source_on_a_phone(server: str, phone: Any) -> None:
    """Sources are laid out lazily (content-visibility); a citation link still lands on one."""
    phone.goto(server + "/compare/microneedling-vs-mesotherapy")
    link = phone.locator("sup.ref a").first
    target = link.get_attribute("href")
    link.click()
    source = phone.locator(str(target))
    source.wait_for(state="visible")
    box = source.bounding_box()
    assert box is not None and -1 < box["y"] < 844, f"{target} is not on screen: {box}"  # subpixel
    assert len(source.inner_text()) > 20

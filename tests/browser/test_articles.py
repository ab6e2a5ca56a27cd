"""Article, tip, news, comparison-article and search pages in Chromium: axe, vnu, screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.browserkit import axe_violations, fetch, screenshots, vnu_errors

pytestmark = pytest.mark.browser

PAGES = {
    "articles": "/articles",
    "articles-tag": "/articles/tag/safety",
    "articles-bad-kind": "/articles?kind=essay",
    "article": "/articles/preparing-for-microneedling",
    "tip": "/articles/tip-numbing-cream-safely",
    "news": "/articles/news-england-licensing-plans",
    "comparison-article": "/articles/microneedling-vs-mesotherapy",
    "search": "/search?q=microneedlng",
    "search-empty": "/search",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_article_page_types_are_accessible(page: Any, server: str, name: str) -> None:
    page.goto(server + PAGES[name])
    violations = axe_violations(page)
    summary = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["target"]) for v in violations]
    assert not violations, summary
    for path in screenshots(page, name):
        assert path.stat().st_size > 1000


def test_search_from_the_articles_page(page: Any, server: str) -> None:
    page.goto(server + "/articles")
    page.get_by_label("Search treatments and articles").fill("mesotheraphy")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    first = page.locator("ol.results h3 a").first
    assert first.get_attribute("href") == "/treatments/mesotherapy"


def test_citation_jumps_to_its_source(page: Any, server: str) -> None:
    page.goto(server + "/articles/tip-cold-sores-before-treatment")
    page.locator("sup.ref a").first.click()
    assert page.url.endswith("#ref-s20")
    assert page.locator("#ref-s20").is_visible()


def test_article_page_types_are_valid_html(server: str, vnu: list[str], tmp_path: Path) -> None:
    pages = {name: fetch(server + path) for name, path in PAGES.items()}
    errors = vnu_errors(vnu, pages, tmp_path)
    assert not errors, errors

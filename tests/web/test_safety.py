"""``/safety`` on the real knowledge base: every cell, plain words, numbered sources, links in."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from treatwise.config import Settings
from treatwise.domain.safety import build_matrix
from treatwise.knowledge import KnowledgeBase
from treatwise.render.safety import STATUS_LABELS
from treatwise.web.app import create_app


@pytest.fixture(scope="module")
def real(kb: KnowledgeBase) -> TestClient:
    return TestClient(create_app(Settings(env="test", secret_key="k"), kb))


@pytest.fixture(scope="module")
def page(real: TestClient) -> str:
    response = real.get("/safety")
    assert response.status_code == 200
    return response.text


def _visible(html: str) -> str:
    """The text a reader sees: tags, attributes and the JSON-LD dropped."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_the_page_has_its_title_and_every_treatment_and_condition(
    page: str, kb: KnowledgeBase
) -> None:
    assert "<h1>Who should not have each treatment</h1>" in page
    text = _visible(page)
    for treatment in kb.treatments.values():
        assert f'<h2 id="t-{treatment.id}">' in page
        assert treatment.name in text
    for condition in kb.conditions.values():
        assert text.count(unescape(condition.name)) >= 1 + len(kb.treatments)


def test_every_cell_shows_its_status_in_plain_words(page: str, kb: KnowledgeBase) -> None:
    matrix = build_matrix(kb)
    badges = re.findall(r'<span class="badge st-([a-z_]+)">([^<]+)</span>', page)
    for status, label in badges:
        assert STATUS_LABELS[status] == label
    # the overview and each treatment's table show every cell: at least 2 badges per cell
    assert len(badges) >= 2 * len(matrix.cells)
    assert "not_suitable" not in _visible(page) and "doctor_review" not in _visible(page)


def test_no_rule_or_reference_ids_are_shown(page: str, kb: KnowledgeBase) -> None:
    text = _visible(page)
    assert not re.search(r"\bR[0-9]{2}[a-z]?\b", text)
    for ref_id in kb.references:
        assert not re.search(rf"(?<![\w/.-]){re.escape(ref_id)}(?![\w-])", text), ref_id


def test_every_cited_source_is_listed_with_its_link(page: str, kb: KnowledgeBase) -> None:
    matrix = build_matrix(kb)
    cited = {r for cell in matrix.cells.values() for r in cell.references}
    listed = re.findall(r'<li id="ref-([a-z0-9-]+)" value="(\d+)">', page)
    assert {ref for ref, _ in listed} == cited
    assert [int(n) for _, n in listed] == list(range(1, len(listed) + 1))
    for ref_id, _ in listed:
        ref = kb.references[ref_id]
        link = ref.url or (f"https://doi.org/{ref.doi}" if ref.doi else None)
        if link:
            assert f'<a href="{escape(link)}">' in page


def test_the_overview_scrolls_in_a_focusable_labelled_region(page: str) -> None:
    assert re.search(
        r'<div class="matrix-scroll" role="region" aria-labelledby="overview-caption" '
        r'tabindex="0">',
        page,
    )
    assert '<caption id="overview-caption">' in page
    assert page.count('<table class="stack">') >= 1


@pytest.mark.parametrize("path", ["/decide", "/treatments"])
def test_the_page_is_linked_from(real: TestClient, path: str) -> None:
    assert 'href="/safety"' in real.get(path).text


def test_the_page_is_in_the_sitemap(real: TestClient) -> None:
    assert "/safety</loc>" in real.get("/sitemap.xml").text

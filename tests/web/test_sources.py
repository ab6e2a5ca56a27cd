"""``/sources``, ``/sources.bib`` and ``/sources.ris`` on the real knowledge base."""

from __future__ import annotations

import re
import warnings

import bibtexparser
import pytest
import rispy
from fastapi import FastAPI

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.sources import clinic_only_statements
from treatwise.render.bibliography import CLINIC_NOTE, GROUPS
from treatwise.web.app import create_app


@pytest.fixture
def web(settings: Settings, kb: KnowledgeBase) -> TestClient:
    app: FastAPI = create_app(settings, kb)
    return TestClient(app, raise_server_exceptions=True)


def test_sources_page_lists_every_reference_by_kind(web: TestClient, kb: KnowledgeBase) -> None:
    response = web.get("/sources")
    assert response.status_code == 200
    html = response.text
    listed = re.findall(r'<li id="source-([a-z0-9-]+)">', html)
    assert sorted(listed) == sorted(kb.references)
    headings = re.findall(r'<h2 id="([a-z]+)">', html)
    assert headings == [slug for slug, _, _ in GROUPS if slug in headings]
    assert headings[0] == "regulators"
    assert 'href="/sources.bib"' in html and 'href="/sources.ris"' in html
    assert 'href="https://doi.org/10.2147/CCID.S267192"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/33376377/"' in html
    assert 'href="/treatments/microneedling"' in html  # "Cited on"
    assert f"{len(clinic_only_statements(kb))} statements still rest only on such pages" in html
    assert "Rct" not in html and "et al.." not in html


def test_bibtex_download_parses_back(web: TestClient, kb: KnowledgeBase) -> None:
    response = web.get("/sources.bib")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-bibtex")
    library = bibtexparser.parse_string(response.text)
    assert library.failed_blocks == []
    assert sorted(e.key for e in library.entries) == sorted(kb.references)


def test_ris_download_parses_back(web: TestClient, kb: KnowledgeBase) -> None:
    response = web.get("/sources.ris")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-research-info-systems")
    records = rispy.loads(response.text)
    assert sorted(r["id"] for r in records) == sorted(kb.references)


def test_reference_lists_print_clean_citations_and_link_to_sources(web: TestClient) -> None:
    html = web.get("/treatments/microneedling").text
    assert 'href="/sources"' in html
    assert "Randomised controlled trial" in html
    assert not re.search(r"\b(19|20)\d\d;[^<]*, (19|20)\d\d\.", html)  # no doubled year
    assert "et al.." not in html and "Rct;" not in html


def test_clinic_only_statements_are_marked_for_readers(web: TestClient, kb: KnowledgeBase) -> None:
    flagged = {
        f.file.removeprefix("treatments/").removesuffix(".yaml") for f in clinic_only_statements(kb)
    }
    treatment = sorted(t for t in flagged if t in kb.treatments)[0]
    note = CLINIC_NOTE.replace("'", "&#39;")
    assert f'<span class="clinic-only">({note})</span>' in web.get(f"/treatments/{treatment}").text

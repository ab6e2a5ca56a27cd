"""The comparison picker, the redirect, and the comparison page."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient


def test_picker_lists_treatments_and_pairs(client: TestClient) -> None:
    r = client.get("/compare")
    assert r.status_code == 200
    assert '<option value="microneedling">Microneedling</option>' in r.text
    assert 'href="/compare/microneedling-vs-mesotherapy"' in r.text  # share acne scars
    assert r.headers.get("etag")  # request-independent: cached


def test_query_redirects_to_the_canonical_page(client: TestClient) -> None:
    r = client.get("/compare?a=microneedling&b=mesotherapy", follow_redirects=False)
    assert r.status_code == 302
    assert r.headers["location"] == "/compare/microneedling-vs-mesotherapy"


def test_bad_choice_shows_the_picker_with_errors(client: TestClient) -> None:
    r = client.get("/compare?a=botox&b=mesotherapy")
    assert r.status_code == 422
    assert "valid ids: mesotherapy, microneedling" in r.text
    assert 'aria-invalid="true"' in r.text
    same = client.get("/compare?a=mesotherapy&b=mesotherapy")
    assert same.status_code == 422 and "two different treatments" in same.text
    assert client.get("/compare?a=mesotherapy").status_code == 422


def test_unknown_pair_is_404(client: TestClient) -> None:
    assert client.get("/compare/microneedling-vs-botox").status_code == 404
    assert client.get("/compare/microneedling").status_code == 404
    assert client.get("/compare/microneedling-vs-microneedling").status_code == 404


def test_comparison_page_shows_every_row_with_sources(client: TestClient) -> None:
    r = client.get("/compare/microneedling-vs-mesotherapy")
    assert r.status_code == 200
    html = r.text
    assert "<h1>Microneedling vs Mesotherapy</h1>" in html
    for row_id in (
        "what-it-is",
        "mechanism",
        "layer",
        "application",
        "what-enters-skin",
        "treats",
        "benefits",
        "harms",
        "procedure",
        "sessions",
        "downtime",
        "pain",
        "practitioners",
        "cost",
        "combinations",
    ):
        assert f'id="row-{row_id}"' in html, row_id
    for one_click_away in ("who-not", "regulation"):  # in full on each treatment's page
        for t in ("microneedling", "mesotherapy"):
            assert f'href="/treatments/{t}#{one_click_away}"' in html
    assert 'id="differences"' in html and 'id="similarities"' in html
    assert "Microneedling redness" in html and "Mesotherapy infection" in html  # harms
    assert 'data-label="Microneedling"' in html  # stacks on narrow screens
    assert '<sup class="ref">[<a href="#ref-' in html and '<li id="ref-' in html
    assert 'href="/articles/microneedling-vs-mesotherapy"' in html
    assert "Test disclaimer: see a clinician." in html
    assert r.headers.get("etag")


def test_comparison_page_has_structured_data(client: TestClient) -> None:
    html = client.get("/compare/mesotherapy-vs-microneedling").text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block
    data = json.loads(block.group(1))
    assert data["@type"] == "MedicalWebPage"
    assert [p["name"] for p in data["about"]] == ["Mesotherapy", "Microneedling"]
    assert all(p["@type"] == "MedicalProcedure" for p in data["about"])
    assert (
        '<link rel="canonical" href="https://treatwise.test/compare/mesotherapy-vs-microneedling">'
        in html
    )

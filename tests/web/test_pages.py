"""Every HTML page: status, key content, headers."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from treatwise.knowledge import KnowledgeBase


def _jsonld(html: str) -> list[dict[str, object]]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def test_home_answers_the_question_and_links_everywhere(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    html = r.text
    assert "Microneedling or mesotherapy" in html
    for href in (
        'href="/compare/microneedling-vs-mesotherapy"',
        'href="/decide"',
        'href="/articles"',
        'method="post" action="/newsletter/start"',
    ):
        assert href in html
    assert "Microneedling summary sentence." in html and "Mesotherapy summary sentence." in html
    assert "ev-moderate" in html and "ev-very_low" in html  # the evidence table
    assert '<link rel="canonical" href="https://treatwise.test/">' in html
    assert '<meta name="description" content="' in html
    assert "Test disclaimer: see a clinician." in html


def test_treatment_index_lists_every_treatment(client: TestClient, fake: KnowledgeBase) -> None:
    html = client.get("/treatments").text
    for t in fake.treatments.values():
        assert f'href="/treatments/{t.id}"' in html and t.name in html
    assert "A randomised trial of needling" not in html or "Sources" in html


def test_treatment_page_shows_every_field(client: TestClient, fake: KnowledgeBase) -> None:
    t = fake.treatments["microneedling"]
    r = client.get("/treatments/microneedling")
    assert r.status_code == 200
    html = r.text
    texts = [
        t.summary.text,
        t.mechanism.text,
        t.layer.text,
        t.application.text,
        t.what_enters_skin.text,
        t.practitioners.text,
        t.pain.text,
        *(c.text for c in t.regulation),
        *(c.text for c in t.benefits),
        *(i.summary for i in t.indications),
        *(i.uncertainty for i in t.indications),
        *(s.name for s in t.side_effects),
        *(s.text for s in t.side_effects),
        *(s.frequency for s in t.side_effects if s.frequency),
        *(c.text for c in t.contraindications),
        *(c.text for c in t.skin_of_colour),
        *(c.text for c in t.combinations),
        *(a.title for a in t.aftercare),
        *(a.text for a in t.aftercare),
        *(w.text for w in t.warning_signs),
        *(d.topic for d in t.disagreements),
        *(d.text for d in t.disagreements),
        *(d.safer_reading for d in t.disagreements),
        *(a for a in t.aliases),
        t.review.reviewer,
        t.review.update_policy,
        t.review.funding,
        *t.review.authors,
        *(p.text for p in t.procedure.preparation),
        *(p.text for p in t.procedure.steps),
    ]
    assert t.cost and t.cost.text in html
    assert t.procedure.maintenance and t.procedure.maintenance.text in html
    assert t.procedure.anaesthesia and t.procedure.anaesthesia.text in html
    missing = [text for text in texts if text not in html]
    assert not missing
    assert "1 November 2025" in html and "US$200–700 per session" in html
    assert "Moderate certainty" in html and "Advised against" in html
    assert "Do not have it" in html and "Doctor must assess first" in html
    assert "Rule R01" not in html and "Applies in: medical" in html  # no rule ids for readers
    assert "Test disclaimer: see a clinician." in html


def test_treatment_page_numbers_its_sources(client: TestClient, fake: KnowledgeBase) -> None:
    html = client.get("/treatments/microneedling").text
    numbers = re.findall(r'href="#ref-([a-z0-9-]+)">(\d+)</a>', html)
    first_use = list(dict.fromkeys(numbers))
    assert [int(n) for _, n in first_use] == list(range(1, len(first_use) + 1))
    for ref_id, number in first_use:
        ref = fake.references[ref_id]
        entry = re.search(rf'<li id="ref-{ref_id}" value="{number}">(.*?)</li>', html, re.S)
        assert entry, ref_id
        assert ref.title in entry.group(1) and ref.publisher in entry.group(1)
        assert str(ref.year) in entry.group(1)
    assert 'href="https://doi.org/10.1000/xyz"' in html  # DOI link
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345/"' in html  # PubMed link
    assert 'href="https://www.fda.gov/x"' in html  # URL link


def test_treatment_page_has_structured_data(client: TestClient) -> None:
    data = _jsonld(client.get("/treatments/mesotherapy").text)
    assert len(data) == 1
    page = data[0]
    assert page["@type"] == "MedicalWebPage"
    assert page["url"] == "https://treatwise.test/treatments/mesotherapy"
    assert page["lastReviewed"] == "2025-11-01"
    procedure = page["about"][0]  # type: ignore[index]
    assert procedure["@type"] == "MedicalProcedure"
    assert procedure["procedureType"] == "https://schema.org/PercutaneousProcedure"
    assert procedure["contraindication"] == ["Pregnancy"]
    assert [i["name"] for i in procedure["indication"]] == ["Acne scars"]


def test_unknown_treatment_is_a_404_page(client: TestClient) -> None:
    r = client.get("/treatments/not-a-treatment")
    assert r.status_code == 404
    assert "Page not found" in r.text and 'href="/treatments"' in r.text
    assert r.headers["content-type"].startswith("text/html")
    assert client.get("/no/such/page").status_code == 404


def test_security_headers_on_pages_errors_and_api(client: TestClient) -> None:
    for path in ("/", "/treatments/microneedling", "/nope", "/api/v1/treatments", "/decide"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "strict-origin-when-cross-origin"
        assert h["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script_or_style_and_no_third_party(client: TestClient) -> None:
    for path in ("/", "/treatments", "/treatments/microneedling", "/decide"):
        html = client.get(path).text
        assert "<style" not in html and " style=" not in html
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all('type="application/ld+json"' in s for s in scripts)
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', html):
            # outbound links to sources are fine; nothing is loaded from elsewhere
            assert not re.search(r"\.(css|js|woff2?|png|svg|jpg)(\?|$)", url), url
        assert re.search(
            r'<link rel="stylesheet" href="/static/css/site.css\?v=[0-9a-f]{10}">', html
        )


def test_static_files_are_versioned_and_cached_long(client: TestClient) -> None:
    html = client.get("/").text
    href = re.search(r'href="(/static/css/site.css\?v=[0-9a-f]+)"', html).group(1)  # type: ignore[union-attr]
    r = client.get(href)
    assert r.status_code == 200 and "text/css" in r.headers["content-type"]
    assert "immutable" in r.headers["cache-control"]


def test_server_error_hides_internals(app, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    r = client.get("/boom")
    assert r.status_code == 500
    assert "secret internal detail" not in r.text and "Traceback" not in r.text
    assert "Something went wrong" in r.text
    assert r.headers["x-content-type-options"] == "nosniff"

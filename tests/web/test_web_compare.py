"""The comparison picker, the redirect, and the comparison page."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_picker_lists_treatments_and_pairs(client: TestClient) -> None:
    r = client.get("/compare")
    assert r.status_code == 200
    assert '<option value="microneedling">Microneedling</option>' in r.text
    assert 'href="/compare/mesotherapy-vs-microneedling"' in r.text  # share acne scars
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

"""JSON API for treatments, the OpenAPI document and the health check."""

from __future__ import annotations

from fastapi.testclient import TestClient

from treatwise.knowledge import KnowledgeBase


def test_list_treatments(client: TestClient, fake: KnowledgeBase) -> None:
    r = client.get("/api/v1/treatments")
    assert r.status_code == 200
    body = r.json()
    assert body["kb_version"] == fake.version
    assert [t["id"] for t in body["treatments"]] == sorted(fake.treatments)
    assert body["treatments"][0]["url"] == "/treatments/mesotherapy"


def test_get_treatment_has_every_field(client: TestClient, fake: KnowledgeBase) -> None:
    body = client.get("/api/v1/treatments/microneedling").json()
    expected = fake.treatments["microneedling"].model_dump(mode="json", by_alias=True)
    assert body == expected
    assert body["combinations"][0]["with"] == "mesotherapy"


def test_unknown_treatment_is_json_404_listing_valid_ids(client: TestClient) -> None:
    r = client.get("/api/v1/treatments/botox")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    assert "valid: mesotherapy, microneedling" in r.json()["detail"]


def test_openapi_and_healthz(client: TestClient, fake: KnowledgeBase) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/treatments" in spec["paths"]
    assert "/api/v1/treatments/{treatment_id}" in spec["paths"]
    assert not any(p.startswith("/treatments") or p == "/" for p in spec["paths"])
    assert client.get("/healthz").json() == {"status": "ok", "kb_version": fake.version}


def test_compare_document(client: TestClient) -> None:
    r = client.get("/api/v1/compare", params={"a": "microneedling", "b": "mesotherapy"})
    assert r.status_code == 200
    doc = r.json()
    assert (doc["a"], doc["b"]) == ("microneedling", "mesotherapy")
    assert [row["id"] for row in doc["rows"]][:3] == ["what-it-is", "mechanism", "layer"]
    harms = next(row for row in doc["rows"] if row["id"] == "harms")
    assert harms["a"]["items"] and harms["a"]["items"][0]["references"]
    assert set(doc["references"]) <= {"r-trial", "r-review", "r-fda"}


def test_compare_bad_ids_name_the_parameter_and_valid_ids(client: TestClient) -> None:
    r = client.get("/api/v1/compare", params={"a": "microneedling", "b": "botox"})
    assert r.status_code == 422
    detail = r.json()["detail"][0]
    assert detail["field"] == "b" and detail["valid"] == ["mesotherapy", "microneedling"]
    same = client.get("/api/v1/compare", params={"a": "mesotherapy", "b": "mesotherapy"})
    assert same.status_code == 422
    assert client.get("/api/v1/compare", params={"a": "mesotherapy"}).status_code == 422
    assert "/api/v1/compare" in client.get("/openapi.json").json()["paths"]

"""`POST /api/v1/assessments`: 200 with the Assessment, 422 naming fields, never 500."""

from __future__ import annotations

import json
import logging
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.app import make_client, make_settings
from support.intake import ASSESSMENT_KEYS, make_intake
from support.privacy import written_with

with warnings.catch_warnings():  # starlette asks for httpx2, which is not needed here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from treatwise.domain.decide import assess, parse_intake
from treatwise.knowledge import KnowledgeBase
from treatwise.web.api.assessments import AssessmentEndpoint

URL = "/api/v1/assessments"
INTAKE = make_intake(
    preferences={"max_downtime_days": 3, "budget_per_session_usd": 300, "max_sessions": 6}
)


@pytest.fixture
def api(tmp_path: Path, kb: KnowledgeBase) -> TestClient:
    return make_client(make_settings(tmp_path), kb)


def test_returns_the_assessment(api: TestClient, kb: KnowledgeBase) -> None:
    response = api.post(URL, json=INTAKE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    expected = assess(kb, parse_intake(kb, INTAKE)).model_dump(mode="json")
    assert response.json() == expected
    assert response.json()["see_doctor_first"] is True


def test_same_input_same_bytes(api: TestClient) -> None:
    bodies = {api.post(URL, json=INTAKE).content for _ in range(3)}
    assert len(bodies) == 1


@pytest.mark.parametrize(
    ("body", "field", "valid"),
    [
        ({"age": 30, "concerns": ["wrinkly-elbows"]}, "concerns[0]", "acne-scars"),
        ({"age": 30, "concerns": ["scars"], "sex": "f"}, "sex", "female"),
        ({"age": 30, "concerns": ["scars"], "fitzpatrick": 9}, "fitzpatrick", "6"),
        ({"age": 30, "concerns": ["scars"], "conditions": ["flu"]}, "conditions[0]", "pregnant"),
        ({"age": 30, "concerns": ["scars"], "setting": "spa"}, "setting", "salon"),
        ({"concerns": ["scars"]}, "age", ""),
        ({"age": 30, "concerns": ["scars"], "extra": 1}, "extra", "concerns"),
        (
            {"age": 30, "concerns": ["scars"], "preferences": {"avoid_needles": "yes"}},
            "preferences.avoid_needles",
            "true",
        ),
    ],
)
def test_bad_intake_is_422_naming_the_field(
    api: TestClient, body: dict[str, Any], field: str, valid: str
) -> None:
    response = api.post(URL, json=body)
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["detail"]}
    assert field in errors, errors
    assert errors[field]["msg"].startswith(f"{field}: ")
    assert errors[field]["loc"][0] == "body"
    assert not valid or valid in errors[field]["valid"]


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"[1, 2]", b"null", b"\xff\xfe", b'"text"', b"12"],
)
def test_malformed_bodies_are_422_not_500(api: TestClient, content: bytes) -> None:
    response = api.post(URL, content=content, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] in ("body", "intake")


def test_oversized_body_is_refused(api: TestClient) -> None:
    response = api.post(URL, content=b" " * (65 * 1024))
    assert response.status_code == 413


def test_v2_fields_are_assessed_like_the_domain(api: TestClient, kb: KnowledgeBase) -> None:
    body = {**INTAKE, "conditions": [], "unsure": ["pregnant"], "considering": "mesotherapy"}
    response = api.post(URL, json=body)
    assert response.status_code == 200
    assert response.json() == assess(kb, parse_intake(kb, body)).model_dump(mode="json")
    data = response.json()
    assert data["considered"]["treatment"] == "mesotherapy"
    kinds = {r["kind"] for o in data["options"] for r in o["reasons"]}
    assert "unsure" in kinds


@pytest.mark.parametrize(
    ("body", "field", "valid"),
    [
        ({"unsure": ["nope"]}, "unsure[0]", "pregnant"),
        ({"unsure": "pregnant"}, "unsure", "pregnant"),
        ({"conditions": ["pregnant"], "unsure": ["pregnant"]}, "unsure[0]", "pregnant"),
        ({"considering": "botox"}, "considering", "microneedling"),
        ({"considering": 7}, "considering", "microneedling"),
    ],
)
def test_bad_v2_fields_are_422_naming_the_field(
    api: TestClient, body: dict[str, Any], field: str, valid: str
) -> None:
    response = api.post(URL, json={"age": 30, "concerns": ["acne-scars"], **body})
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["detail"]}
    assert field in errors, errors
    assert valid in errors[field]["valid"]
    assert "botox" not in response.text


def test_openapi_lists_the_v2_ids(api: TestClient, kb: KnowledgeBase) -> None:
    spec = api.get("/openapi.json").json()
    schema = spec["paths"][URL]["post"]["requestBody"]["content"]["application/json"]["schema"]
    unsure = schema["properties"]["unsure"]
    assert unsure["items"]["enum"] == sorted(kb.conditions)
    considering = json.dumps(schema["properties"]["considering"])
    assert json.dumps(sorted(kb.treatments)) in considering
    response = spec["paths"][URL]["post"]["responses"]["200"]["content"]["application/json"]
    text = json.dumps(spec)
    assert "next_step" in text and "best_by_concern" in text and "considered" in text
    assert response


def test_openapi_documents_intake_and_assessment(api: TestClient) -> None:
    spec = api.get("/openapi.json").json()
    operation = spec["paths"][URL]["post"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "concerns" in schema["properties"] and "age" in schema["required"]
    assert "$ref" not in json.dumps(schema)  # inlined: "#/$defs/..." would not resolve
    assert "avoid_needles" in json.dumps(schema["properties"]["preferences"])
    assert "200" in operation["responses"] and "422" in operation["responses"]


def test_the_intake_is_never_logged_or_written(
    api: TestClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    marker = "4817.2391"  # a budget no one would type by chance
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.DEBUG)
    start = time.time()
    good = {
        **INTAKE,
        "preferences": {"budget_per_session_usd": float(marker)},
        "unsure": ["pregnant"],
        "considering": "microneedling",
    }
    assert api.post(URL, json=good).status_code == 200
    bad = {
        **INTAKE,
        "concerns": [f"x-{marker}"],
        "age": marker,
        "sex": marker,
        "unsure": [f"u-{marker}"],
        "considering": f"c-{marker}",
    }
    response = api.post(URL, json=bad)
    assert response.status_code == 422
    assert marker not in response.text  # errors name fields, never echo values
    out, err = capfd.readouterr()
    assert marker not in caplog.text + out + err
    assert not written_with(marker, tmp_path, since=start)


def test_json_round_trip_of_the_example_in_design(api: TestClient) -> None:
    data = api.post(URL, content=json.dumps(INTAKE).encode()).json()
    assert [o["rank"] for o in data["options"]] == list(range(1, len(data["options"]) + 1))
    assert data["disclaimer"]


# Reviewer's edge cases: every malformed or out-of-contract body is a 422 naming the field
# with its valid values, never a 500.
EDGE_BODIES: list[tuple[bytes, str]] = [
    (b"[" * 60_000, "body"),  # nesting too deep to decode: was a 500
    (b'{"age": ' + b"[" * 30_000 + b"]" * 30_000 + b', "concerns": ["scars"]}', "body"),
    (b'{"age": 34, "age": 35, "concerns": ["scars"]}', "age"),
    (b'{"age": ' + b"9" * 5000 + b', "concerns": ["scars"]}', "body"),  # over int digits limit
    (
        b'{"age": 34, "concerns": ["scars"], "preferences": {"avoid_needles": true, '
        b'"avoid_needles": false}}',
        "preferences.avoid_needles",
    ),
    (b'{"age": NaN, "concerns": ["scars"]}', "body"),
    (
        b'{"age": 34, "concerns": ["scars"], "preferences": {"budget_per_session_usd": 1e999}}',
        "preferences.budget_per_session_usd",
    ),
    (b'{"age": 34.0, "concerns": ["scars"]}', "age"),
    (b'{"age": true, "concerns": ["scars"]}', "age"),
    (b'{"age": null, "concerns": ["scars"]}', "age"),
    (b'{"age": 34, "concerns": ["scars", "scars"]}', "concerns[1]"),
    (b'{"age": 34, "concerns": [1]}', "concerns[0]"),
    (
        b'{"age": 34, "concerns": ["scars"], "conditions": ["pregnant", "pregnant"]}',
        "conditions[1]",
    ),
    (b'{"age": 34, "concerns": ["scars"], "fitzpatrick": 0}', "fitzpatrick"),
    (b'{"age": 34, "concerns": ["scars"], "fitzpatrick": 2.5}', "fitzpatrick"),
    (
        b'{"age": 34, "concerns": ["scars"], "preferences": {"max_sessions": "3"}}',
        "preferences.max_sessions",
    ),
    (b'{"age": 34, "concerns": ["scars"], "preferences": {"nope": 1}}', "preferences.nope"),
    (
        b'{"age": 34, "concerns": ["scars"], "preferences": {"max_downtime_days": 400}}',
        "preferences.max_downtime_days",
    ),
    (b'{"age": 34, "concerns": ["scars"], "\\ud800": 1}', "\\ud800"),
]


@pytest.mark.parametrize(("content", "field"), EDGE_BODIES)
def test_edge_bodies_are_422_naming_the_field(api: TestClient, content: bytes, field: str) -> None:
    response = api.post(URL, content=content, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text[:200]
    errors = {e["field"]: e for e in response.json()["detail"]}
    assert field in errors, errors
    if field != "body":
        assert "valid values: " in errors[field]["msg"] and errors[field]["valid"]


def test_every_option_and_key_matches_the_contract(api: TestClient, kb: KnowledgeBase) -> None:
    body = {"age": 40, "concerns": ["acne-scars"], "conditions": ["suspicious-lesion"]}
    data = api.post(URL, json=body).json()
    assert set(data) == ASSESSMENT_KEYS
    assert data["next_step"] == "see_doctor"
    assert set(data["best_by_concern"]) == {"acne-scars"}
    assert data["considered"] is None
    assert sorted(o["treatment"] for o in data["options"]) == sorted(kb.treatments)
    for option in data["options"]:
        assert set(option) == {"treatment", "rank", "status", "fit", "concerns", "reasons"}
        assert all(set(r) == {"kind", "text", "references"} for r in option["reasons"])
    assert all(set(f) == {"condition", "action", "text", "references"} for f in data["red_flags"])
    assert data["see_doctor_first"] is True


@pytest.fixture(scope="module")
def shared_api(tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase) -> TestClient:
    tmp = tmp_path_factory.mktemp("api")
    return make_client(make_settings(tmp), kb)


_scalar = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10)
_value = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
_bodies = st.fixed_dictionaries(
    {},
    optional={
        "age": st.one_of(st.integers(-3, 130), _value),
        "concerns": st.one_of(
            st.lists(st.sampled_from(["acne-scars", "hair-loss", "x"]), max_size=3), _value
        ),
        "conditions": st.one_of(
            st.lists(st.sampled_from(["pregnant", "hair-loss-diagnosed", "y"]), max_size=3),
            _value,
        ),
        "fitzpatrick": st.one_of(st.integers(0, 7), _value),
        "setting": st.one_of(st.sampled_from(["medical", "salon", "home"]), _value),
        "unsure": st.one_of(
            st.lists(st.sampled_from(["pregnant", "anticoagulants", "z"]), max_size=3), _value
        ),
        "considering": st.one_of(st.sampled_from(["microneedling", "mesotherapy", "w"]), _value),
        "preferences": _value,
        "other": _value,
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_bodies)
def test_never_a_server_error(shared_api: TestClient, body: dict[str, Any]) -> None:
    content = json.dumps(body, allow_nan=True).encode()
    response = shared_api.post(URL, content=content, headers={"content-type": "application/json"})
    assert response.status_code in (200, 422), response.text[:300]
    if response.status_code == 422:
        assert all(d["field"] and d["msg"] for d in response.json()["detail"])


# -- the direct path (answered before FastAPI's routing) -------------------------------------


def test_the_direct_path_answers_as_the_documented_route(tmp_path: Path, kb: KnowledgeBase) -> None:
    """Same status, bytes and headers with and without the direct path, for good and bad input."""
    direct = make_client(make_settings(tmp_path), kb)
    routed = make_client(make_settings(tmp_path), kb)
    routed.app.direct.clear()  # type: ignore[attr-defined]
    bodies = [json.dumps(INTAKE), json.dumps({"age": 30, "concerns": ["x"]}), "{", "x" * 70_000]
    for body in bodies:
        a = direct.post(URL, content=body, headers={"content-type": "application/json"})
        b = routed.post(URL, content=body, headers={"content-type": "application/json"})
        assert (a.status_code, a.content) == (b.status_code, b.content)
        for header in (
            "content-type",
            "cache-control",
            "content-security-policy",
            "x-frame-options",
        ):
            assert a.headers.get(header) == b.headers.get(header), header


def test_the_direct_path_compresses_when_asked(api: TestClient) -> None:
    response = api.post(URL, json=INTAKE, headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["options"]


def test_the_direct_path_keeps_to_the_allowed_hosts(tmp_path: Path, kb: KnowledgeBase) -> None:
    """A wildcard list is checked by the middleware only: the direct path has its own."""
    settings = make_settings(tmp_path, allowed_hosts="*.treatwise.test")
    client = make_client(settings, kb)
    forged = client.post(URL, json=INTAKE, headers={"host": "evil.example"})
    assert forged.status_code == 400
    good = client.post(URL, json=INTAKE, headers={"host": "www.treatwise.test"})
    assert good.status_code == 200


def test_a_failure_on_the_direct_path_is_a_plain_500(
    tmp_path: Path, kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    """No traceback to the client, and nothing of the body in the log."""
    client = make_client(make_settings(tmp_path), kb)
    broken = AssessmentEndpoint(object())  # type: ignore[arg-type]  # not a knowledge base: fails
    client.app.direct[("POST", URL)] = broken  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR, logger="treatwise.web"):
        response = client.post(URL, json={**INTAKE, "age": 51})
    assert response.status_code == 500
    assert response.json() == {
        "detail": "An unexpected error happened on our side. Nothing you entered was kept."
    }
    assert "unexpected error in POST /api/v1/assessments" in caplog.text
    assert "51" not in caplog.text and "acne" not in caplog.text

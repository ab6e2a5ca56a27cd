"""The JSON API against its own OpenAPI document, fuzzed with schemathesis.

Every operation gets generated requests (valid and invalid); each answer must
not be a 500, must use a documented status code and content type, and must
match the documented response schema. Requests that follow the document but
break a rule it cannot express (a past plan start date, a plan length outside
the treatment's range, an address that cannot receive mail, comparing a
treatment with itself) are refused with a 422 that names the field, so the
"valid data is accepted" check is left out.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from treatwise.config import Settings
from treatwise.knowledge import KnowledgeBase
from treatwise.store.migrate import upgrade
from treatwise.web.app import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def real_app(kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    folder = tmp_path_factory.mktemp("schemathesis")
    url = f"sqlite:///{folder / 'api.db'}"
    upgrade(url)
    settings = Settings(env="test", secret_key="k", database_url=url, maildir=folder / "mail")
    return create_app(settings, kb)


@pytest.fixture(scope="module")
def api_schema(real_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", real_app)


def test_the_document_lists_the_knowledge_base_vocabulary(
    real_app: FastAPI, kb: KnowledgeBase
) -> None:
    document = TestClient(real_app).get("/openapi.json").json()
    paths = document["paths"]
    compare = {p["name"]: p["schema"] for p in paths["/api/v1/compare"]["get"]["parameters"]}
    assert compare["a"]["enum"] == compare["b"]["enum"] == sorted(kb.treatments)
    one = paths["/api/v1/treatments/{treatment_id}"]["get"]["parameters"][0]["schema"]
    assert one["enum"] == sorted(kb.treatments)
    intake = paths["/api/v1/assessments"]["post"]["requestBody"]["content"]["application/json"]
    fields = intake["schema"]["properties"]
    assert fields["concerns"]["items"]["enum"] == sorted(kb.concerns)
    assert fields["conditions"]["items"]["enum"] == sorted(kb.conditions)
    plan = paths["/api/v1/plans"]["post"]["requestBody"]["content"]["application/json"]
    assert plan["schema"]["properties"]["treatment"]["enum"] == sorted(kb.treatments)
    body = paths["/api/v1/subscriptions"]["post"]["requestBody"]["content"]["application/json"]
    signup = body["schema"]["properties"]
    assert signup["interests"]["items"]["enum"] == sorted(kb.concerns)
    assert "enum" not in signup["email"]  # only the named fields


def test_api_follows_its_openapi_document(api_schema: Any) -> None:
    tested = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        strategy = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
            GenerationMode.NEGATIVE
        )

        @given(case=strategy)
        @settings(
            max_examples=150,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        fuzz()
        tested.append(operation.label)
    assert len(tested) == 6, tested  # every API operation was fuzzed

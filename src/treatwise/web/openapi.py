"""The OpenAPI document, with the knowledge base's vocabulary as enums.

FastAPI derives the schema from the request models, which only know "a
string". The valid treatment, concern and condition ids come from the
knowledge base, so they are written into the document here, once, when it is
first asked for: a clinic's client generated from ``/openapi.json`` then
knows every valid value, and a request that follows the document is accepted.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from treatwise.knowledge import KnowledgeBase


def vocabulary(kb: KnowledgeBase) -> dict[str, list[str]]:
    """Field or parameter name -> its valid ids (data, not code: one line per name)."""
    treatments = sorted(kb.treatments)
    return {
        "treatment": treatments,
        "treatment_id": treatments,
        "a": treatments,
        "b": treatments,
        "concerns": sorted(kb.concerns),
        "interests": sorted(kb.concerns),
        "conditions": sorted(kb.conditions),
        "unsure": sorted(kb.conditions),
        "considering": treatments,
    }


def install(app: FastAPI, kb: KnowledgeBase) -> None:
    """Make ``app.openapi()`` return the document with the vocabulary added."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            add_vocabulary(document, vocabulary(kb))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def add_vocabulary(document: dict[str, Any], names: dict[str, list[str]]) -> None:
    """Add ``enum`` to every request parameter and request-body field named in ``names``."""
    components = document.get("components", {}).get("schemas", {})
    for operation in _operations(document):
        for parameter in operation.get("parameters", []):
            if parameter.get("name") in names:
                _restrict(parameter["schema"], names[parameter["name"]])
        content = operation.get("requestBody", {}).get("content", {})
        for media in content.values():
            body = media.get("schema", {})
            ref = body.get("$ref", "")
            if ref.startswith("#/components/schemas/"):
                body = components[ref.removeprefix("#/components/schemas/")]
            for field, schema in body.get("properties", {}).items():
                if field in names:
                    _restrict(schema, names[field])


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for path in document.get("paths", {}).values() for op in path.values()]


def _restrict(schema: dict[str, Any], values: list[str]) -> None:
    """Put the enum on the string itself, on the items of an array of strings, or on the
    string branch of an optional field (``anyOf: [string, null]``)."""
    for branch in schema.get("anyOf", []):
        _restrict(branch, values)
    target = schema["items"] if schema.get("type") == "array" else schema
    if target.get("type") == "string":
        target["enum"] = values

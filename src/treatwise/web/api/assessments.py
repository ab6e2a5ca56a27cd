"""``POST /api/v1/assessments``: the decision aid over JSON.

The body is read and validated here (not by FastAPI's body model), so that a
422 names the fields and their valid values without echoing what was sent:
the intake is health data. Nothing is stored or logged; responses carry
``Cache-Control: no-store``.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from treatwise.domain.decide import (
    Assessment,
    Intake,
    IntakeError,
    assess,
    decode_intake,
    parse_intake,
)
from treatwise.web.api.json_body import error_response, error_schema, too_large
from treatwise.web.dependencies import KB, NO_STORE

router = APIRouter(tags=["decision aid"])


def _inline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON Schema with its ``$defs`` inlined (they would not resolve in OpenAPI)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


MAX_BODY = 64 * 1024


@router.post(
    "/assessments",
    summary="Assess an intake: screen, rank and explain every treatment",
    response_model=Assessment,
    responses={
        422: {
            "description": "Invalid intake",
            "content": {"application/json": {"schema": error_schema(["string", "integer"])}},
        }
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline_schema(Intake)}},
        }
    },
)
async def create_assessment(request: Request, kb: KB) -> Response:
    """Screen and rank every treatment for one intake (never stored)."""
    body = await request.body()
    if (refusal := too_large(body, limit=MAX_BODY)) is not None:
        return refusal
    try:
        intake = parse_intake(kb, decode_intake(body, field="body"))
    except IntakeError as exc:
        return error_response(exc.errors, loc=_loc)
    content = assess(kb, intake).model_dump_json()
    return Response(content, media_type="application/json", headers=NO_STORE)


def _loc(field: str) -> list[Any]:
    """``preferences.max_sessions`` → ["preferences", "max_sessions"]; ``concerns[1]`` → [.., 1]."""
    if field in ("body", "intake"):
        return []
    parts: list[Any] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        parts.append(int(index) if index else name)
    return parts

"""``POST /api/v1/plans``: a treatment plan over JSON.

Body: ``{"treatment": "microneedling", "start": "2026-12-01", "sessions": 4,
"interval_weeks": 4}``; only ``treatment`` is required (``start`` defaults to
today, the others to the typical protocol). The body is read by ``parse_plan``
(shared with the page and the CLI), so that a 422 names each field and its
allowed (sourced) values without echoing what was sent. A start in the past is
a 422. Nothing is stored or logged.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from starlette.responses import Response

from treatwise.domain.plan import Plan, PlanError, PlanFieldError, parse_plan
from treatwise.web.api.json_body import (
    BodyNotJson,
    decode_json,
    error_response,
    error_schema,
    too_large,
)
from treatwise.web.dependencies import KB, NO_STORE

router = APIRouter(tags=["plans"])

MAX_BODY = 16 * 1024
_REQUEST_SCHEMA = {
    "type": "object",
    "required": ["treatment"],
    "additionalProperties": False,
    "properties": {
        "treatment": {"type": "string", "description": "Treatment id, e.g. microneedling"},
        "start": {"type": "string", "format": "date", "description": "Default: today"},
        "sessions": {
            "type": "integer",
            "description": "Sessions (months of daily use for topicals); default: typical",
        },
        "interval_weeks": {"type": "number", "description": "Weeks between sessions"},
    },
}


@router.post(
    "/plans",
    summary="Plan a course of treatment: session dates, aftercare, reviews, cost",
    response_model=Plan,
    responses={
        413: {
            "description": "Body too large",
            "content": {"application/json": {"schema": error_schema("string")}},
        },
        422: {
            "description": "Invalid request",
            "content": {"application/json": {"schema": error_schema("string")}},
        },
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _REQUEST_SCHEMA}},
        }
    },
)
async def create_plan(request: Request, kb: KB) -> Response:
    """The plan for one treatment (never stored)."""
    body = await request.body()
    if (refusal := too_large(body, limit=MAX_BODY)) is not None:
        return refusal
    try:
        data = decode_json(body)
    except BodyNotJson:
        error = PlanFieldError("body", "not valid JSON: send a JSON object of UTF-8 text")
        return error_response([error], loc=_loc)
    try:
        result = parse_plan(kb, data, today=dt.date.today())
    except PlanError as exc:
        return error_response(exc.errors, loc=_loc)
    return Response(result.model_dump_json(), media_type="application/json", headers=NO_STORE)


def _loc(field: str) -> list[str]:
    """``body`` → [] (the body itself); any other field → [field], as sent."""
    return [] if field == "body" else [field]

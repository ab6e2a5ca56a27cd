"""``POST /api/v1/plans``: a treatment plan over JSON.

Body: ``{"treatment": "microneedling", "start": "2026-12-01", "sessions": 4,
"interval_weeks": 4}``; only ``treatment`` is required (``start`` defaults to
today, the others to the typical protocol). The body is checked here, so that a
422 names each field and its allowed (sourced) values without echoing what was
sent. A start in the past is a 422. Nothing is stored or logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from treatwise.domain.plan import Plan, PlanError, PlanFieldError, parse_date, plan
from treatwise.knowledge import KnowledgeBase
from treatwise.web.api.json_body import (
    NO_STORE,
    BodyNotJson,
    decode_json,
    error_response,
    error_schema,
    too_large,
)
from treatwise.web.dependencies import KB

router = APIRouter(tags=["plans"])

MAX_BODY = 16 * 1024
KEYS = ("treatment", "start", "sessions", "interval_weeks")
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
        result = _plan(kb, data, dt.date.today())
    except PlanError as exc:
        return error_response(exc.errors, loc=_loc)
    return Response(result.model_dump_json(), media_type="application/json", headers=NO_STORE)


def _plan(kb: KnowledgeBase, data: Any, today: dt.date) -> Plan:
    """The plan for a decoded body; :class:`PlanError` lists every problem, one per field."""
    if not isinstance(data, dict):
        raise PlanError([PlanFieldError("body", "must be a JSON object", KEYS)])
    errors = [PlanFieldError(str(k), "unknown field", KEYS) for k in data if k not in KEYS]
    if "treatment" not in data:
        errors.append(PlanFieldError("treatment", "required", tuple(sorted(kb.treatments))))
    start = today
    if data.get("start") is not None:
        try:
            if not isinstance(data["start"], str):
                raise PlanError([PlanFieldError("start", "must be a date string, YYYY-MM-DD")])
            start = parse_date(data["start"])
        except PlanError as exc:
            errors += exc.errors
    try:
        result = plan(
            kb,
            data.get("treatment", ""),
            start=start,
            sessions=data.get("sessions"),
            interval_weeks=data.get("interval_weeks"),
            today=today,
        )
    except PlanError as exc:
        seen = {e.field for e in errors}
        errors += [e for e in exc.errors if e.field not in seen]
    if errors:
        raise PlanError(errors)
    return result


def _loc(field: str) -> list[str]:
    """``body`` → [] (the body itself); any other field → [field], as sent."""
    return [] if field == "body" else [field]

"""``POST /api/v1/assessments``: the decision aid over JSON.

The body is read and validated here (not by FastAPI's body model), so that a
422 names the fields and their valid values without echoing what was sent:
the intake is health data. Nothing is stored or logged; responses carry
``Cache-Control: no-store``.

The route below is the documented one (OpenAPI). Requests are answered by
:class:`AssessmentEndpoint`, the same :func:`answer` as a bare ASGI app that
the application calls before FastAPI's routing and dependency injection
(``web/app.py``, behind the same body guard, security headers, trusted hosts
and compression): that per-request work cost as much as the answer itself.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from treatwise.domain.decide import (
    Assessment,
    Intake,
    IntakeError,
    assess,
    decode_intake,
    parse_intake,
)
from treatwise.knowledge import KnowledgeBase
from treatwise.web.api.json_body import error_response, error_schema, too_large
from treatwise.web.dependencies import KB, NO_STORE
from treatwise.web.errors import SERVER_ERROR

log = logging.getLogger("treatwise.web")

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
    return answer(kb, await request.body())


def answer(kb: KnowledgeBase, body: bytes) -> Response:
    """The response to one request: the assessment, or a 413/422 naming the field."""
    if (refusal := too_large(body, limit=MAX_BODY)) is not None:
        return refusal
    try:
        intake = parse_intake(kb, decode_intake(body, field="body"))
    except IntakeError as exc:
        return error_response(exc.errors, loc=_loc)
    content = assess(kb, intake).model_dump_json()
    return Response(content, media_type="application/json", headers=NO_STORE)


class AssessmentEndpoint:
    """:func:`answer` as a bare ASGI app (see the module doc); a failure is a plain 500."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks = []
        while True:  # the body guard in front has buffered it: one message
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        try:
            response = answer(self.kb, b"".join(chunks))
        except Exception:  # never a traceback to the client, never the body in the log
            log.exception("unexpected error in POST /api/v1/assessments")
            response = JSONResponse({"detail": SERVER_ERROR}, status_code=500)
        await response(scope, receive, send)


def _loc(field: str) -> list[Any]:
    """``preferences.max_sessions`` → ["preferences", "max_sessions"]; ``concerns[1]`` → [.., 1]."""
    if field in ("body", "intake"):
        return []
    parts: list[Any] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        parts.append(int(index) if index else name)
    return parts

"""``POST /api/v1/subscriptions``: start a double opt-in subscription (JSON).

The answer is 202 with the same body whether the address is new or known. Errors
name the field: 422 for a bad address or an unknown interest, 429 when one client
signs up too often.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from treatwise.newsletter import subscriptions
from treatwise.newsletter.errors import InvalidInput
from treatwise.web.api.json_body import BodyNotJson, decode_json
from treatwise.web.dependencies import NO_STORE, get_limiter, get_newsletter, record_later, visit

router = APIRouter(tags=["newsletter"])

ACCEPTED = "If the address can receive mail, a confirmation link is on its way."


class SubscriptionIn(BaseModel):
    """A sign-up request."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=1000, description="The address to subscribe")
    interests: list[str] = Field(default_factory=list, max_length=50, description="Concern ids")
    source: str | None = Field(default=None, max_length=200, description="Page of the form")


class SubscriptionAccepted(BaseModel):
    """The same answer for every valid request."""

    status: str = "pending"
    detail: str = ACCEPTED


def _request_schema() -> dict[str, Any]:
    schema = SubscriptionIn.model_json_schema()
    schema.pop("title", None)
    return schema


@router.post(
    "/subscriptions",
    status_code=202,
    response_model=SubscriptionAccepted,
    responses={
        400: {"description": "The body could not be read (not UTF-8 JSON)"},
        413: {"description": "Body too large"},
        422: {"description": "Invalid field"},
        429: {"description": "Too many sign-ups"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _request_schema()}},
        }
    },
)
async def create_subscription(request: Request) -> JSONResponse:
    """Queue a confirmation email for the address (double opt-in).

    The rate limit comes first, before the body is decoded or validated, so a
    flood of bad requests costs as little as a flood of good ones. Errors name
    the field and never echo what was sent (an address is personal data).
    """
    if not get_limiter(request).allow(visit(request).ip_address):
        detail = "too many sign-ups from this address; try again in a few minutes"
        return JSONResponse(
            {"detail": detail}, status_code=429, headers={"Retry-After": "60", **NO_STORE}
        )
    try:
        data = decode_json(await request.body())
    except BodyNotJson:
        detail = "the body could not be read: send one JSON object of UTF-8 text"
        return JSONResponse({"detail": detail}, status_code=400, headers=NO_STORE)
    try:
        body = SubscriptionIn.model_validate(data)
    except ValidationError as exc:
        return JSONResponse({"detail": _problems(exc)}, status_code=422, headers=NO_STORE)
    try:
        sign_up = subscriptions.check_sign_up(
            get_newsletter(request), email=body.email, interests=body.interests
        )
    except InvalidInput as error:
        problem = {"loc": ["body", error.field], "msg": error.message, "type": "value_error"}
        return JSONResponse({"detail": [problem]}, status_code=422, headers=NO_STORE)
    where = visit(request, body.source or "/api/v1/subscriptions")
    return JSONResponse(
        SubscriptionAccepted().model_dump(),
        status_code=202,
        headers=NO_STORE,
        background=record_later(request, sign_up, where),
    )


def _problems(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors without the ``input``, ``ctx`` or ``url`` they carry."""
    return [
        {"loc": ["body", *error["loc"]], "msg": error["msg"], "type": error["type"]}
        for error in exc.errors(include_url=False, include_input=False, include_context=False)
    ]

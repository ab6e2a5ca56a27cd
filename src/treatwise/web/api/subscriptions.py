"""``POST /api/v1/subscriptions``: start a double opt-in subscription (JSON).

The answer is 202 with the same body whether the address is new or known. Errors
name the field: 422 for a bad address or an unknown interest, 429 when one client
signs up too often.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from treatwise.newsletter import subscriptions
from treatwise.newsletter.errors import InvalidInput
from treatwise.web.pages.newsletter import get_limiter, get_newsletter, visit

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


@router.post(
    "/subscriptions",
    status_code=202,
    response_model=SubscriptionAccepted,
    responses={
        400: {"description": "The body could not be read (not UTF-8 JSON)"},
        422: {"description": "Invalid field"},
        429: {"description": "Too many sign-ups"},
    },
)
async def create_subscription(request: Request, body: SubscriptionIn) -> JSONResponse:
    """Queue a confirmation email for the address (double opt-in)."""
    if not get_limiter(request).allow(visit(request).ip_address):
        detail = "too many sign-ups from this address; try again in a few minutes"
        return JSONResponse({"detail": detail}, status_code=429, headers={"Retry-After": "60"})
    try:
        await run_in_threadpool(
            subscriptions.subscribe,
            get_newsletter(request),
            email=body.email,
            interests=body.interests,
            visit=visit(request, body.source or "/api/v1/subscriptions"),
        )
    except InvalidInput as error:
        problem = {"loc": ["body", error.field], "msg": error.message, "type": "value_error"}
        return JSONResponse({"detail": [problem]}, status_code=422)
    return JSONResponse(SubscriptionAccepted().model_dump(), status_code=202)

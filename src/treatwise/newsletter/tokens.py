"""Signed link tokens (itsdangerous): confirm, unsubscribe and manage-preferences links.

A token signs the subscriber's random key, the purpose and the issue time. The
time comes from the caller's clock, so expiry is testable; a token for one
purpose is rejected for another, and forgetting a subscriber kills its tokens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from treatwise.newsletter.errors import InvalidToken

MAX_AGE: dict[str, dt.timedelta | None] = {
    "confirm": dt.timedelta(days=7),
    "unsubscribe": None,  # unsubscribe links in old emails must keep working
    "manage": dt.timedelta(days=180),
}
MAX_TOKEN_LENGTH = 512


def _serializer(secret: str, purpose: str) -> URLSafeSerializer:
    if purpose not in MAX_AGE:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return URLSafeSerializer(secret, salt=f"treatwise.newsletter.{purpose}")


def make(secret: str, purpose: str, *, key: str, now: dt.datetime) -> str:
    """A token for ``purpose`` that names the subscriber key ``key``."""
    return str(_serializer(secret, purpose).dumps({"k": key, "t": int(now.timestamp())}))


def read(secret: str, purpose: str, token: object, *, now: dt.datetime) -> tuple[str, dt.datetime]:
    """The subscriber key and issue time in ``token``; InvalidToken when it does not hold."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken("missing or malformed")
    try:
        payload: Any = _serializer(secret, purpose).loads(token)
    except BadSignature:
        raise InvalidToken("invalid") from None
    if not (isinstance(payload, dict) and isinstance(payload.get("k"), str)):
        raise InvalidToken("invalid")
    if not isinstance(payload.get("t"), int):
        raise InvalidToken("invalid")
    issued = dt.datetime.fromtimestamp(payload["t"], dt.UTC)
    max_age = MAX_AGE[purpose]
    if max_age is not None and now - issued > max_age:
        raise InvalidToken("expired")
    return payload["k"], issued

"""JSON request bodies in the API: the size limit, and 413/422 answers naming the fields.

An answer lists each problem with its ``loc``, ``field``, ``msg`` and ``valid``
values, never what was sent (a body may be health data), and carries
``Cache-Control: no-store``. Each route says how its field names map to ``loc``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from starlette.responses import JSONResponse, Response

from treatwise.domain.field_error import FieldError
from treatwise.web.dependencies import NO_STORE


def error_schema(loc_type: str | list[str]) -> dict[str, Any]:
    """The JSON Schema of an error answer; ``loc_type`` is the type of each ``loc`` item."""
    return {
        "type": "object",
        "properties": {
            "detail": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "loc": {"type": "array", "items": {"type": loc_type}},
                        "field": {"type": "string"},
                        "msg": {"type": "string"},
                        "valid": {"type": "array", "items": {"type": "string"}},
                    },
                },
            }
        },
    }


def error_response(
    errors: Iterable[FieldError], *, loc: Callable[[str], list[Any]], status: int = 422
) -> Response:
    """The problems as JSON: ``loc`` is ``["body", *loc(field)]`` for each one."""
    detail = [
        {"loc": ["body", *loc(e.field)], "field": e.field, "msg": str(e), "valid": list(e.valid)}
        for e in errors
    ]
    return JSONResponse({"detail": detail}, status_code=status, headers=NO_STORE)


def too_large(body: bytes, *, limit: int) -> Response | None:
    """A 413 answer when ``body`` is longer than ``limit`` bytes, else None."""
    if len(body) <= limit:
        return None
    error = FieldError("body", f"too large (at most {limit} bytes)")
    return error_response([error], loc=lambda _field: [], status=413)


class BodyNotJson(ValueError):
    """The body is not one JSON document of valid Unicode text."""


def decode_json(body: bytes) -> Any:
    """The decoded body; :class:`BodyNotJson` for bad JSON, bad UTF-8 or a lone surrogate.

    ``json.loads`` accepts an escaped lone surrogate (``"\\ud800"``), which later
    fails to encode on the way out; it is refused here, with the rest of bad input.
    """
    try:
        data = json.loads(body)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeError, RecursionError) as exc:
        raise BodyNotJson(str(exc)) from None
    return data

"""``GET /api/v1/compare?a=&b=``: two treatments side by side as the stable JSON document.

The document is ``render.compare.comparison_document`` (the same as
``treatwise compare A B --format json``). An unknown or repeated id gives 422
naming the parameter and listing the valid ids.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.responses import JSONResponse

from treatwise.domain.compare import CompareError, compare
from treatwise.render.compare import comparison_document
from treatwise.web.dependencies import KB

router = APIRouter(tags=["compare"])

_ERROR = {
    "description": "Unknown or repeated treatment id",
    "content": {
        "application/json": {
            "example": {
                "detail": [
                    {
                        "loc": ["query", "b"],
                        "field": "b",
                        "msg": "unknown treatment id",
                        "valid": ["mesotherapy", "microneedling"],
                    }
                ]
            }
        }
    },
}


@router.get(
    "/compare",
    summary="Compare two treatments row by row, with numbered sources",
    responses={422: _ERROR},
)
async def compare_treatments(
    kb: KB,
    a: Annotated[str, Query(description="First treatment id", examples=["microneedling"])],
    b: Annotated[str, Query(description="Second treatment id", examples=["mesotherapy"])],
) -> Any:
    """The comparison document: rows of cited cells, key differences and similarities."""
    try:
        comparison = compare(kb, a, b)
    except CompareError as exc:
        detail = {
            "loc": ["query", exc.field],
            "field": exc.field,
            "msg": exc.message,
            "valid": list(exc.valid),
        }
        return JSONResponse({"detail": [detail]}, status_code=422)
    return comparison_document(comparison, kb)

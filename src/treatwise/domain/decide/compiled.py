"""Values compiled once from immutable knowledge-base objects: the decision aid's hot path.

Screening and scoring read the knowledge base through tables built from it on
first use (``screening.tables``, ``scoring.preference_table``), so that an
intake costs lookups, not a walk over the knowledge base's models. This is a
pure function's cache, never a cache of answers: keys are knowledge-base
objects only, nothing a person entered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")

_CACHE: dict[tuple[int, Callable[..., Any]], tuple[object, Any]] = {}
_LIMIT = 4096
"""A bound, not a working size: a knowledge base has a few dozen objects compiled."""


def compiled(source: S, build: Callable[[S], T]) -> T:
    """``build(source)``, computed once per (object, build) and then reused.

    ``source`` must be immutable (a knowledge base or one of its models). The
    entry holds it, so its id is never reused for another object while cached.
    """
    key = (id(source), build)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is source:
        value: T = hit[1]
        return value
    if len(_CACHE) >= _LIMIT:
        _CACHE.clear()
    value = build(source)
    _CACHE[key] = (source, value)
    return value


__all__ = ["compiled"]

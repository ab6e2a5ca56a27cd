"""One plan request, parsed once for every edge (the JSON API, the plan page, the CLI).

``parse_plan(kb, data, today=...)`` takes the request as a mapping of field names
(``treatment``, ``start``, ``sessions``, ``interval_weeks``) and returns the
:class:`Plan`, or raises :class:`PlanError` listing every problem, one per field,
each naming its field and the allowed values. ``start`` is a ``YYYY-MM-DD`` string
(missing or ``None``: today). Form input is text: with ``text=True`` the numbers
arrive as strings and are read here. What "today" is, the edge decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from treatwise.domain.plan.build import parse_date, plan
from treatwise.domain.plan.values import Plan, PlanError, PlanFieldError
from treatwise.knowledge import KnowledgeBase

PLAN_FIELDS = ("treatment", "start", "sessions", "interval_weeks")
"""The fields of a plan request (the JSON body's keys)."""

_NUMBERS: dict[str, tuple[type[int] | type[float], str]] = {
    "sessions": (int, "enter a whole number"),
    "interval_weeks": (float, "enter a number of weeks"),
}


def parse_plan(kb: KnowledgeBase, data: object, *, today: dt.date, text: bool = False) -> Plan:
    """The plan a request asks for; :class:`PlanError` lists every problem, one per field."""
    if not isinstance(data, Mapping):
        raise PlanError([PlanFieldError("body", "must be a JSON object", PLAN_FIELDS)])
    errors = [
        PlanFieldError(str(k), "unknown field", PLAN_FIELDS) for k in data if k not in PLAN_FIELDS
    ]
    if "treatment" not in data:
        errors.append(PlanFieldError("treatment", "required", tuple(sorted(kb.treatments))))
    start = _start(data.get("start"), today, errors)
    numbers = {name: _number(data.get(name), name, text, errors) for name in _NUMBERS}
    try:
        result = plan(kb, data.get("treatment", ""), start=start, today=today, **numbers)
    except PlanError as exc:
        seen = {e.field for e in errors}
        errors += [e for e in exc.errors if e.field not in seen]
    if errors:
        raise PlanError(errors)
    return result


def _start(value: object, today: dt.date, errors: list[PlanFieldError]) -> dt.date:
    if value is None:
        return today
    if not isinstance(value, str):
        errors.append(PlanFieldError("start", "must be a date string, YYYY-MM-DD"))
        return today
    try:
        return parse_date(value)
    except PlanError as exc:
        errors += exc.errors
        return today


def _number(value: object, name: str, text: bool, errors: list[PlanFieldError]) -> Any:
    if not text or not isinstance(value, str):
        return value
    kind, message = _NUMBERS[name]
    try:
        return kind(value)
    except ValueError:
        errors.append(PlanFieldError(name, message))
        return None

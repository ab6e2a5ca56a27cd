"""Build a plan from the knowledge-base protocol, checking the request against the sources."""

from __future__ import annotations

import calendar
import datetime as dt
import math
from typing import Any

from treatwise.domain.plan.values import (
    REVIEW_LABELS,
    CheckIn,
    CostEstimate,
    Milestone,
    Plan,
    PlanError,
    PlanFieldError,
    ReviewKind,
    ReviewPoint,
    Session,
    cited_references,
    merge_references,
)
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import AftercareStep, Cost, Range, Treatment

_DATE_SHAPE = "YYYY-MM-DD, for example 2026-12-01"
MAX_DAYS_AHEAD = 2 * 365
"""How far ahead a plan may start: a course booked further out is re-planned nearer the time."""
LATEST_START = dt.date(9000, 1, 1)
"""Without ``today``, the latest start whose course dates stay within the calendar."""


def plan(
    kb: KnowledgeBase,
    treatment: str,
    *,
    start: dt.date,
    sessions: int | None = None,
    interval_weeks: float | None = None,
    today: dt.date | None = None,
) -> Plan:
    """The plan for ``treatment`` from ``start``; raises :class:`PlanError` on bad input."""
    errors = _check_start(start, today)
    item = kb.treatments.get(treatment) if isinstance(treatment, str) else None
    if item is None:
        errors.append(
            PlanFieldError("treatment", "unknown treatment", tuple(sorted(kb.treatments)))
        )
        raise PlanError(errors)
    count = _choose_count(item, sessions, errors)
    interval = _choose_interval(item, interval_weeks, errors)
    if errors:
        raise PlanError(errors)
    if item.procedure.interval_weeks is None:
        return _daily_plan(kb, item, start=start, months=count)
    assert interval is not None  # a sessions plan always has an interval (checked above)
    return _sessions_plan(kb, item, start=start, count=count, interval=interval)


def parse_date(text: str, *, field: str = "start") -> dt.date:
    """A calendar date written ``YYYY-MM-DD``; :class:`PlanError` names ``field`` otherwise."""
    value = text.strip()
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PlanError([PlanFieldError(field, f"not a valid date; write it as {_DATE_SHAPE}")])


def allowed_counts(treatment: Treatment) -> tuple[int, ...]:
    """The whole numbers of sessions (months for daily topicals) the sources support."""
    return _whole_numbers(treatment.procedure.sessions)


def allowed_intervals(treatment: Treatment) -> tuple[int, ...]:
    """The whole numbers of weeks between sessions the sources support (empty for topicals)."""
    rng = treatment.procedure.interval_weeks
    return () if rng is None else _whole_numbers(rng)


def default_count(treatment: Treatment) -> int:
    """The typical number of sessions (or months), else the fewest the sources support."""
    rng = treatment.procedure.sessions
    return round(rng.typical) if rng.typical is not None else math.ceil(rng.min)


def default_interval(treatment: Treatment) -> float | None:
    """The typical interval, else the longest sourced one (more healing time); None if daily."""
    rng = treatment.procedure.interval_weeks
    if rng is None:
        return None
    return rng.typical if rng.typical is not None else rng.max


# --- validation ------------------------------------------------------------


def _check_start(start: object, today: dt.date | None) -> list[PlanFieldError]:
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        return [PlanFieldError("start", f"not a date; write it as {_DATE_SHAPE}")]
    if today is not None and start < today:
        message = "is in the past; choose today or a later date"
        return [PlanFieldError("start", message, (f"{today.isoformat()} or later",))]
    latest = LATEST_START if today is None else today + dt.timedelta(days=MAX_DAYS_AHEAD)
    if start > latest:
        message = "is too far ahead; choose a date within two years"
        return [PlanFieldError("start", message, (f"{latest.isoformat()} or earlier",))]
    return []


def _whole_numbers(rng: Range) -> tuple[int, ...]:
    return tuple(range(math.ceil(rng.min), math.floor(rng.max) + 1))


def _span(rng: Range) -> str:
    low, high = f"{rng.min:g}", f"{rng.max:g}"
    return f"exactly {low}" if low == high else f"from {low} to {high}"


def _choose_count(item: Treatment, value: object, errors: list[PlanFieldError]) -> int:
    rng = item.procedure.sessions
    if value is None:
        return default_count(item)
    daily = item.procedure.interval_weeks is None
    unit = "months of daily use" if daily else "sessions"
    where = f"(the sourced number of {unit} for {item.name})"
    if isinstance(value, bool) or not isinstance(value, int) or not rng.min <= value <= rng.max:
        wording = _span(rng) if rng.min == rng.max else f"a whole number {_span(rng)}"
        message = f"must be {wording} {where}"
        valid = tuple(str(n) for n in allowed_counts(item))
        errors.append(PlanFieldError("sessions", message, valid))
        return default_count(item)
    return value


def _choose_interval(item: Treatment, value: object, errors: list[PlanFieldError]) -> float | None:
    rng = item.procedure.interval_weeks
    if value is None:
        return default_interval(item)
    if rng is None:
        message = f"does not apply: {item.name} is used every day, not in sessions"
        errors.append(PlanFieldError("interval_weeks", message))
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not rng.min <= value <= rng.max
    ):
        message = f"must be {_span(rng)} weeks (the sourced interval for {item.name})"
        valid = tuple(str(n) for n in allowed_intervals(item))
        errors.append(PlanFieldError("interval_weeks", message, valid))
        return default_interval(item)
    return float(value)


# --- building --------------------------------------------------------------


def _sessions_plan(
    kb: KnowledgeBase, item: Treatment, *, start: dt.date, count: int, interval: float
) -> Plan:
    proc = item.procedure
    assert proc.interval_weeks is not None
    step = dt.timedelta(days=round(interval * 7))
    refs = merge_references(proc.sessions.references, proc.interval_weeks.references)
    sessions = tuple(
        Session(number=n, date=start + step * (n - 1), references=refs) for n in range(1, count + 1)
    )
    timeline = tuple(
        sorted(
            (_milestone(s.number, s.date, a) for s in sessions for a in item.aftercare),
            key=lambda m: (m.start, m.session or 0, m.day_from, m.title),
        )
    )
    last = sessions[-1].date
    months = _months_spanned(start, last)
    units = {"session": count, "month": months, "course": 1}
    return _finish(
        Plan(
            **_common(kb, item),
            kind="sessions",
            start=start,
            end=last,
            sessions=sessions,
            months=None,
            interval_weeks=interval,
            timeline=timeline,
            check_ins=(),
            reviews=_reviews(proc.results_weeks, last),
            cost=_cost(item.cost, units),
        )
    )


def _daily_plan(kb: KnowledgeBase, item: Treatment, *, start: dt.date, months: int) -> Plan:
    refs = tuple(item.procedure.sessions.references)
    check_ins = tuple(
        CheckIn(month=m, date=add_months(start, m), references=refs) for m in range(1, months + 1)
    )
    timeline = tuple(
        sorted((_milestone(None, start, a) for a in item.aftercare), key=lambda m: m.start)
    )
    return _finish(
        Plan(
            **_common(kb, item),
            kind="daily",
            start=start,
            end=add_months(start, months),
            sessions=(),
            months=months,
            interval_weeks=None,
            timeline=timeline,
            check_ins=check_ins,
            reviews=_reviews(item.procedure.results_weeks, start),
            cost=_cost(item.cost, {"session": months, "month": months, "course": 1}),
        )
    )


def _common(kb: KnowledgeBase, item: Treatment) -> dict[str, Any]:
    """The plan fields taken as they are from the knowledge base."""
    proc = item.procedure
    return {
        "treatment": item.id,
        "name": item.name,
        "sessions_range": proc.sessions,
        "interval_range": proc.interval_weeks,
        "preparation": proc.preparation,
        "downtime_days": item.downtime_days,
        "aftercare": tuple(sorted(item.aftercare, key=lambda a: (a.day_from, a.day_to))),
        "results_weeks": proc.results_weeks,
        "maintenance": proc.maintenance,
        "warning_signs": item.warning_signs,
        "disclaimer": kb.rules.disclaimer,
        "references": (),
    }


def _finish(value: Plan) -> Plan:
    return value.model_copy(update={"references": cited_references(value)})


def _milestone(session: int | None, day0: dt.date, step: AftercareStep) -> Milestone:
    return Milestone(
        session=session,
        start=day0 + dt.timedelta(days=step.day_from),
        end=day0 + dt.timedelta(days=step.day_to),
        day_from=step.day_from,
        day_to=step.day_to,
        title=step.title,
        text=step.text,
        references=tuple(step.references),
    )


def _reviews(results: Range, base: dt.date) -> tuple[ReviewPoint, ...]:
    points: list[tuple[ReviewKind, float]] = []
    if results.min > 0:
        points.append(("earliest", results.min))
    if results.typical is not None:
        points.append(("usual", results.typical))
    points.append(("final", results.max))
    dates = {weeks: base + dt.timedelta(days=round(weeks * 7)) for _, weeks in points}
    if len(set(dates.values())) == 1:  # one sourced time point: the time results are assessed
        points = [("usual", results.max)]
    out: dict[dt.date, ReviewPoint] = {}
    for kind, weeks in points:  # a later kind wins a shared date: "final" over "earliest"
        when = dates[weeks]
        out[when] = ReviewPoint(
            kind=kind,
            label=REVIEW_LABELS[kind] if len(points) > 1 else "Results assessed",
            date=when,
            weeks=weeks,
            text=results.text,
            references=tuple(results.references),
        )
    return tuple(sorted(out.values(), key=lambda r: r.date))


def _cost(cost: Cost | None, units_by_per: dict[str, int]) -> CostEstimate | None:
    if cost is None:
        return None
    units = units_by_per[cost.per]
    return CostEstimate(
        per=cost.per,
        unit_min_usd=cost.min_usd,
        unit_max_usd=cost.max_usd,
        units=units,
        total_min_usd=cost.min_usd * units,
        total_max_usd=cost.max_usd * units,
        as_of=cost.as_of,
        text=cost.text,
        references=tuple(cost.references),
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _months_spanned(start: dt.date, end: dt.date) -> int:
    months = 1
    while add_months(start, months) <= end:
        months += 1
    return months

"""The plan as values: sessions, dated aftercare, check-ins, review points, cost, and errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from treatwise.domain.field_error import FieldError
from treatwise.knowledge.schema import AftercareStep, Cited, Range

PlanKind = Literal["sessions", "daily"]
ReviewKind = Literal["earliest", "usual", "final"]

REVIEW_LABELS: dict[ReviewKind, str] = {
    "earliest": "Earliest visible change",
    "usual": "Results usually assessed",
    "final": "Final assessment",
}


@dataclass(frozen=True)
class PlanFieldError(FieldError):
    """One problem with a plan request: the field, what is wrong, and the allowed values."""


class PlanError(ValueError):
    """The plan request is invalid; ``errors`` lists every problem."""

    def __init__(self, errors: Sequence[PlanFieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(str(e) for e in self.errors))


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Session(_Value):
    """One session of the course, on a date (the time is booked with the clinic)."""

    number: int
    date: dt.date
    references: tuple[str, ...]


class Milestone(_Value):
    """An aftercare step placed on the calendar (``session`` is None for daily topicals)."""

    session: int | None
    start: dt.date
    end: dt.date
    day_from: int
    day_to: int
    title: str
    text: str
    references: tuple[str, ...]


class CheckIn(_Value):
    """A monthly check-in during daily use of a topical."""

    month: int
    date: dt.date
    references: tuple[str, ...]


class ReviewPoint(_Value):
    """When to look at the result, counted from the last session (or the start, for topicals)."""

    kind: ReviewKind
    label: str
    date: dt.date
    weeks: float
    text: str | None
    references: tuple[str, ...]


class CostEstimate(_Value):
    """The quoted price per unit and the total for this plan (unit price × units)."""

    per: Literal["session", "month", "course"]
    unit_min_usd: float
    unit_max_usd: float
    units: int
    total_min_usd: float
    total_max_usd: float
    as_of: str
    text: str
    references: tuple[str, ...]


class Plan(_Value):
    """A course of treatment laid out on the calendar, every item with its sources."""

    treatment: str
    name: str
    kind: PlanKind
    start: dt.date
    end: dt.date
    sessions: tuple[Session, ...]
    months: int | None
    interval_weeks: float | None
    sessions_range: Range
    interval_range: Range | None
    preparation: tuple[Cited, ...]
    downtime_days: Range
    aftercare: tuple[AftercareStep, ...]
    timeline: tuple[Milestone, ...]
    check_ins: tuple[CheckIn, ...]
    results_weeks: Range
    reviews: tuple[ReviewPoint, ...]
    maintenance: Cited | None
    cost: CostEstimate | None
    warning_signs: tuple[Cited, ...]
    disclaimer: str
    references: tuple[str, ...]


def cited_references(value: Plan) -> tuple[str, ...]:
    """Every reference id the plan cites, in reading order, each once."""
    groups: list[Iterable[str]] = [value.sessions_range.references]
    if value.interval_range is not None:
        groups.append(value.interval_range.references)
    groups += [c.references for c in value.preparation]
    groups.append(value.downtime_days.references)
    groups += [a.references for a in value.aftercare]
    groups.append(value.results_weeks.references)
    if value.maintenance is not None:
        groups.append(value.maintenance.references)
    if value.cost is not None:
        groups.append(value.cost.references)
    groups += [w.references for w in value.warning_signs]
    return merge_references(*groups)


def merge_references(*groups: Iterable[str]) -> tuple[str, ...]:
    """Reference ids from several items, in order, each once."""
    return tuple(dict.fromkeys(ref for group in groups for ref in group))

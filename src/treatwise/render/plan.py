"""Render a Plan as JSON, plain text (a terminal) or Markdown; shared words for dates and days.

``plan_json`` is the canonical output (the CLI and the API use it). Text and
Markdown follow the same order as the page and the PDF handout: sessions,
preparation, recovery, the dated calendar, review points, maintenance, cost,
warning signs, sources and the disclaimer. Citations are bibliography ids in
brackets, listed with their titles at the end.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

from treatwise.domain.plan import Milestone, Plan
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Range

WIDTH = 88
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def plan_json(plan: Plan) -> str:
    """The plan as indented JSON; the same plan always gives the same bytes."""
    return plan.model_dump_json(indent=2)


def format_date(day: dt.date) -> str:
    """A date people read without a locale: ``Tue 1 Dec 2026``."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_period(start: dt.date, end: dt.date) -> str:
    """``Tue 1 Dec 2026``, or ``Wed 2 Dec 2026 to Fri 4 Dec 2026``."""
    return format_date(start) if start == end else f"{format_date(start)} to {format_date(end)}"


def day_label(day_from: int, day_to: int, *, after: str = "the session") -> str:
    """Days relative to a session: ``Day 0``, ``Days 1–3``, ``7 to 1 days before the session``."""
    if day_to < 0:
        if day_from == day_to:
            return f"{-day_to} day{'s' if day_to != -1 else ''} before {after}"
        return f"{-day_from} to {-day_to} days before {after}"
    if day_from == day_to:
        return f"Day {day_from}"
    return f"Days {day_from}–{day_to}"


def number(value: float) -> str:
    """``3.0`` → ``3``, ``2.5`` → ``2.5``."""
    return f"{value:g}"


def span(rng: Range, unit: str) -> str:
    """``3–6 sessions (typically 4)``."""
    text = number(rng.min) if rng.min == rng.max else f"{number(rng.min)}–{number(rng.max)}"
    show = rng.typical is not None and rng.min != rng.max
    typical = f" (typically {number(rng.typical)})" if show and rng.typical is not None else ""
    return f"{text} {unit}{typical}"


def money(value: float) -> str:
    """``$1,500`` (whole dollars)."""
    return f"${value:,.0f}"


def course_summary(plan: Plan) -> str:
    """One line: what the course is and when it runs."""
    if plan.kind == "daily":
        return (
            f"Daily use from {format_date(plan.start)} for {plan.months} months "
            f"(to {format_date(plan.end)})"
        )
    count = len(plan.sessions)
    every = f", every {number(plan.interval_weeks or 0)} weeks" if count > 1 else ""
    last = f"; last session {format_date(plan.end)}" if count > 1 else ""
    noun = "session" if count == 1 else "sessions"
    return f"{count} {noun}{every}, from {format_date(plan.start)}{last}"


def cost_summary(plan: Plan) -> str | None:
    """``$100–$1,000 per session × 4 sessions = $400–$4,000``; None without a sourced price."""
    cost = plan.cost
    if cost is None:
        return None
    unit = f"{money(cost.unit_min_usd)}–{money(cost.unit_max_usd)} per {cost.per}"
    total = f"{money(cost.total_min_usd)}–{money(cost.total_max_usd)}"
    if cost.per == "course":
        return f"{total} for the whole course"
    noun = {"session": "session", "month": "month"}[cost.per]
    units = f"{cost.units} {noun}{'s' if cost.units != 1 else ''}"
    return f"{unit} × {units} = {total} in total"


def milestone_label(plan: Plan, milestone: Milestone) -> str:
    """``Session 2: First days (Days 1–3)``, or ``First days (Days 14–42 of daily use)``."""
    if milestone.session is None:
        days = day_label(milestone.day_from, milestone.day_to, after="the start")
        return f"{milestone.title} ({days} of daily use)"
    days = day_label(milestone.day_from, milestone.day_to)
    prefix = f"Session {milestone.session}: " if len(plan.sessions) > 1 else ""
    return f"{prefix}{milestone.title} ({days})"


def review_label(plan: Plan, weeks: float) -> str:
    """``12 weeks after the last session`` (or ``after starting`` for daily topicals)."""
    base = "starting" if plan.kind == "daily" else "the last session"
    if plan.kind == "sessions" and len(plan.sessions) == 1:
        base = "the session"
    return f"{number(weeks)} weeks after {base}"


def _cite(text: str, ids: Iterable[str]) -> str:
    refs = ", ".join(ids)
    return f"{text} [{refs}]" if refs else text


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def plan_text(kb: KnowledgeBase, plan: Plan) -> str:
    """A plain-text plan for a terminal."""
    title = f"Treatwise plan: {plan.name}"
    lines = [title, "=" * len(title), *_wrap(course_summary(plan) + ".", ""), ""]
    for heading, items in _sections(plan):
        lines += [heading, "-" * len(heading)]
        for text, refs in items:
            lines += _wrap(_cite(f"- {text}", refs), "    ", first="  ")
        lines.append("")
    lines += ["Sources", "-------"]
    for ref_id in plan.references:
        lines += _wrap(f"[{ref_id}] {_reference(kb, ref_id)}", "    ", first="  ")
    lines += ["", *_wrap(f"Important: {plan.disclaimer}", "")]
    return "\n".join(lines) + "\n"


def plan_markdown(kb: KnowledgeBase, plan: Plan) -> str:
    """The plan as Markdown (headings, lists; citations as bracketed ids)."""
    lines = [f"# Treatwise plan: {plan.name}", "", course_summary(plan) + ".", ""]
    for heading, items in _sections(plan):
        lines += [f"## {heading}", ""]
        lines += [_cite(f"- {text}", refs) for text, refs in items]
        lines.append("")
    lines += ["## Sources", ""]
    lines += [f"- [{ref_id}] {_reference(kb, ref_id)}" for ref_id in plan.references]
    lines += ["", f"> **Important:** {plan.disclaimer}", ""]
    return "\n".join(lines)


Item = tuple[str, tuple[str, ...]]


def _sections(plan: Plan) -> list[tuple[str, list[Item]]]:
    """The plan as (heading, [(text, references)]) in reading order."""
    sections: list[tuple[str, list[Item]]] = []
    if plan.kind == "sessions":
        sections.append(("Sessions", _session_items(plan)))
    else:
        sections.append(("Daily use and check-ins", _daily_items(plan)))
    if plan.preparation:
        heading = "Before each session" if plan.kind == "sessions" else "Before you start"
        sections.append((heading, [(c.text, tuple(c.references)) for c in plan.preparation]))
    sections.append(("Recovery and aftercare", _recovery_items(plan)))
    sections.append(("Calendar", _calendar_items(plan)))
    sections.append(("Review points", _review_items(plan)))
    maintenance = plan.maintenance
    sections.append(
        (
            "Maintenance",
            [(maintenance.text, tuple(maintenance.references))]
            if maintenance
            else [("No maintenance schedule is given in the sources.", ())],
        )
    )
    sections.append(("Cost", _cost_items(plan)))
    heading = (
        "When to call the clinic"
        if plan.kind == "sessions"
        else "If irritation or other problems occur"
    )
    sections.append((heading, [(w.text, tuple(w.references)) for w in plan.warning_signs]))
    return sections


def _session_items(plan: Plan) -> list[Item]:
    total = len(plan.sessions)
    items: list[Item] = [
        (f"Session {s.number} of {total}: {format_date(s.date)}", ()) for s in plan.sessions
    ]
    rng, interval = plan.sessions_range, plan.interval_range
    items.append(
        (
            f"Sourced number of sessions: {span(rng, 'sessions')}. {rng.text or ''}".strip(),
            tuple(rng.references),
        )
    )
    if interval is not None:
        text = f"Sourced interval: {span(interval, 'weeks')}. {interval.text or ''}".strip()
        items.append((text, tuple(interval.references)))
    return items


def _daily_items(plan: Plan) -> list[Item]:
    rng = plan.sessions_range
    items: list[Item] = [(f"Start daily use: {format_date(plan.start)}", ())]
    items += [(f"Check-in, month {c.month}: {format_date(c.date)}", ()) for c in plan.check_ins]
    items.append(
        (
            f"Sourced length of use: {span(rng, 'months')}. {rng.text or ''}".strip(),
            tuple(rng.references),
        )
    )
    return items


def _recovery_items(plan: Plan) -> list[Item]:
    down = plan.downtime_days
    items: list[Item] = [
        (f"Visible recovery (downtime): {span(down, 'days')}.", tuple(down.references))
    ]
    after = "the session" if plan.kind == "sessions" else "the start"
    for step in plan.aftercare:
        label = day_label(step.day_from, step.day_to, after=after)
        if plan.kind == "daily" and step.day_to >= 0:
            label += " of daily use"
        items.append((f"{label}, {step.title}: {step.text}", tuple(step.references)))
    if not plan.aftercare:
        items.append(("The sources give no day-by-day aftercare for this treatment.", ()))
    return items


@dataclass(frozen=True)
class CalendarRow:
    """One line of the dated calendar: a session, a check-in or an aftercare step."""

    start: dt.date
    end: dt.date
    kind: str
    label: str

    @property
    def when(self) -> str:
        return format_period(self.start, self.end)


def calendar_rows(plan: Plan) -> list[CalendarRow]:
    """Sessions, check-ins and aftercare steps in date order (sessions first on a shared day)."""
    total = len(plan.sessions)
    rows = [
        CalendarRow(s.date, s.date, "session", f"Session {s.number} of {total}")
        for s in plan.sessions
    ]
    if plan.kind == "daily":
        rows.append(CalendarRow(plan.start, plan.start, "start", "Start daily use"))
    rows += [
        CalendarRow(c.date, c.date, "check-in", f"Check-in, month {c.month}")
        for c in plan.check_ins
    ]
    rows += [
        CalendarRow(m.start, m.end, "aftercare", milestone_label(plan, m)) for m in plan.timeline
    ]
    order = {"start": 0, "session": 0, "check-in": 1, "aftercare": 2}
    return sorted(rows, key=lambda row: (row.start, order[row.kind]))


def _calendar_items(plan: Plan) -> list[Item]:
    return [(f"{row.when}: {row.label}", ()) for row in calendar_rows(plan)]


def _review_items(plan: Plan) -> list[Item]:
    items: list[Item] = [
        (f"{format_date(r.date)}: {r.label} ({review_label(plan, r.weeks)})", ())
        for r in plan.reviews
    ]
    rng = plan.results_weeks
    items.append((f"Why these dates: {rng.text or span(rng, 'weeks')}", tuple(rng.references)))
    return items


def _cost_items(plan: Plan) -> list[Item]:
    summary = cost_summary(plan)
    if summary is None or plan.cost is None:
        return [("No sourced price is available for this treatment.", ())]
    cost = plan.cost
    return [(f"{summary} (prices as of {cost.as_of}). {cost.text}", cost.references)]


def _reference(kb: KnowledgeBase, ref_id: str) -> str:
    ref = kb.references.get(ref_id)
    if ref is None:
        return "(unknown reference)"
    where = ref.url or (f"https://doi.org/{ref.doi}" if ref.doi else f"PMID {ref.pmid}")
    year = f", {ref.year}" if ref.year else ""
    return f"{ref.title}. {ref.publisher}{year}. {where}"

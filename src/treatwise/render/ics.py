"""A Plan as an iCalendar file (RFC 5545, via icalendar).

Events, all-day because the clinic books the hour:

- one per session (a daily topical gets one for the start of daily use), each
  with a display reminder at 09:00 the day before (``TRIGGER:-PT15H`` from the
  all-day start);
- one per aftercare milestone, on the first day of the step (the description
  gives the whole period), marked free time;
- one per monthly check-in (daily topicals) and per review point.

Descriptions are for people: they carry no reference ids. An event whose text
comes from sourced data says where its sources are listed instead.

UIDs are derived from the treatment, the kind of event and its date (plus the
session and step for aftercare), so exporting the same plan twice gives the
same events and a calendar updates them instead of duplicating them. There is
no clock here: ``DTSTAMP`` comes in from the edge.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from icalendar import Alarm, Calendar, Event

from treatwise.domain.plan import Milestone, Plan
from treatwise.render.plan import day_label, format_period, review_label

PRODID = "-//Treatwise//Treatment plan//EN"
UID_DOMAIN = "treatwise"
REMINDER = dt.timedelta(hours=-15)  # 09:00 on the day before an all-day event
SOURCES_NOTE = "The sources for this advice are listed on the plan's page at Treatwise."


def plan_ics(plan: Plan, *, dtstamp: dt.datetime) -> bytes:
    """The plan's calendar; ``dtstamp`` (timezone-aware) is when the file was made."""
    if dtstamp.tzinfo is None:
        raise ValueError("dtstamp must be timezone-aware (UTC)")
    stamp = dtstamp.astimezone(dt.UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Treatwise: {plan.name} plan")
    for event in _events(plan):
        event.add("dtstamp", stamp)
        cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics


def _events(plan: Plan) -> list[Event]:
    events: list[Event] = []
    if plan.kind == "sessions":
        events += [_session(plan, s.number, s.date) for s in plan.sessions]
    else:
        events.append(_start_of_daily_use(plan))
        events += [
            _all_day(
                _uid(plan, "checkin", c.date),
                c.date,
                f"{plan.name}: check-in, month {c.month} of daily use",
                "How is your skin or scalp tolerating it? See the plan for what to expect.",
                c.references,
            )
            for c in plan.check_ins
        ]
    events += [_milestone(plan, m) for m in plan.timeline]
    events += [
        _all_day(
            _uid(plan, "review", r.date),
            r.date,
            f"{plan.name}: {r.label.lower()}",
            f"{review_label(plan, r.weeks).capitalize()}. {r.text or ''}".strip(),
            r.references,
        )
        for r in plan.reviews
    ]
    return events


def _session(plan: Plan, number: int, day: dt.date) -> Event:
    total = len(plan.sessions)
    preparation = " ".join(c.text for c in plan.preparation)
    description = "Book the time with your clinic."
    if preparation:
        description += f" Before the session: {preparation}"
    refs = [ref for c in plan.preparation for ref in c.references]
    summary = f"{plan.name}: session {number} of {total}"
    event = _all_day(_uid(plan, "session", day), day, summary, description, refs, busy=True)
    event.add_component(_reminder(f"Tomorrow: {summary}"))
    return event


def _start_of_daily_use(plan: Plan) -> Event:
    preparation = " ".join(c.text for c in plan.preparation)
    summary = f"{plan.name}: start daily use ({plan.months} months)"
    description = f"Before you start: {preparation}" if preparation else "Start daily use."
    refs = [ref for c in plan.preparation for ref in c.references]
    event = _all_day(_uid(plan, "start", plan.start), plan.start, summary, description, refs)
    event.add_component(_reminder(f"Tomorrow: {summary}"))
    return event


def _milestone(plan: Plan, m: Milestone) -> Event:
    if m.session is None:
        when = day_label(m.day_from, m.day_to, after="the start")
        whose = ""
    else:
        when = day_label(m.day_from, m.day_to, after=f"session {m.session}")
        whose = f" (session {m.session})" if len(plan.sessions) > 1 else ""
        if m.day_to >= 0:
            when += f" after session {m.session}"
    description = f"{when}, {format_period(m.start, m.end)}: {m.text}"
    extra = f"s{m.session}-{_slug(m.title)}" if m.session else _slug(m.title)
    return _all_day(
        _uid(plan, "aftercare", m.start, extra),
        m.start,
        f"{plan.name} aftercare{whose}: {m.title}",
        description,
        m.references,
    )


def _all_day(
    uid: str,
    day: dt.date,
    summary: str,
    description: str,
    references: Iterable[str],
    *,
    busy: bool = False,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    sources = f" {SOURCES_NOTE}" if any(True for _ in references) else ""
    event.add("description", f"{description}{sources}")
    event.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    return event


def _reminder(text: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", text)
    alarm.add("trigger", REMINDER)
    return alarm


def _uid(plan: Plan, kind: str, day: dt.date, extra: str = "") -> str:
    suffix = f"-{extra}" if extra else ""
    return f"{plan.treatment}-{kind}-{day:%Y%m%d}{suffix}@{UID_DOMAIN}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")

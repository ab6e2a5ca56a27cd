"""The plan's iCalendar file parses back with icalendar: events, dates, reminders, stable UIDs."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from treatwise.domain.plan import plan
from treatwise.knowledge import KnowledgeBase, load
from treatwise.render.ics import SOURCES_NOTE, plan_ics

START = dt.date(2026, 12, 1)
STAMP = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
TREATMENTS = sorted(load().treatments)


def _events(ics: bytes) -> list[dict[str, object]]:
    cal = Calendar.from_ical(ics)
    assert str(cal["version"]) == "2.0" and "Treatwise" in str(cal["prodid"])
    return [
        {
            "uid": str(e["uid"]),
            "summary": str(e["summary"]),
            "start": e.decoded("dtstart"),
            "end": e.decoded("dtend"),
            "stamp": e.decoded("dtstamp"),
            "description": str(e["description"]),
            "alarms": [
                (str(a["action"]), a.decoded("trigger"))
                for a in e.subcomponents
                if a.name == "VALARM"
            ],
        }
        for e in cal.walk("VEVENT")
    ]


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_every_plan_exports_one_event_per_item(kb: KnowledgeBase, treatment: str) -> None:
    result = plan(kb, treatment, start=START)
    events = _events(plan_ics(result, dtstamp=STAMP))
    firsts = len(result.sessions) if result.kind == "sessions" else 1 + len(result.check_ins)
    assert len(events) == firsts + len(result.timeline) + len(result.reviews)
    uids = [e["uid"] for e in events]
    assert len(set(uids)) == len(uids)
    assert all(str(uid).startswith(f"{treatment}-") for uid in uids)
    for event in events:
        start = event["start"]
        assert type(start) is dt.date, "all-day events"
        assert event["end"] == start + dt.timedelta(days=1)
        assert event["stamp"] == STAMP


def test_sessions_have_their_dates_and_a_reminder_the_day_before(kb: KnowledgeBase) -> None:
    result = plan(kb, "microneedling", start=START, sessions=4, interval_weeks=4)
    events = _events(plan_ics(result, dtstamp=STAMP))
    sessions = [e for e in events if str(e["uid"]).startswith("microneedling-session-")]
    assert [e["start"] for e in sessions] == [START + dt.timedelta(weeks=4 * n) for n in range(4)]
    assert [e["summary"] for e in sessions] == [
        f"Microneedling: session {n} of 4" for n in range(1, 5)
    ]
    for event in sessions:
        assert event["alarms"] == [("DISPLAY", dt.timedelta(hours=-15))]
        assert "numbing cream" in str(event["description"])
    others = [e for e in events if not str(e["uid"]).startswith("microneedling-session-")]
    assert all(e["alarms"] == [] for e in others)


def test_aftercare_milestones_are_all_day_events_on_their_first_day(kb: KnowledgeBase) -> None:
    result = plan(kb, "microneedling", start=START, sessions=3, interval_weeks=4)
    events = _events(plan_ics(result, dtstamp=STAMP))
    aftercare = [e for e in events if "-aftercare-" in str(e["uid"])]
    assert len(aftercare) == 3 * 4
    assert sorted(e["start"] for e in aftercare) == sorted(m.start for m in result.timeline)
    first_days = next(
        e
        for e in aftercare
        if e["uid"] == "microneedling-aftercare-20261202-s1-first-days@treatwise"
    )
    assert first_days["summary"] == "Microneedling aftercare (session 1): First days"
    assert "Days 1–3 after session 1, Wed 2 Dec 2026 to Fri 4 Dec 2026:" in str(
        first_days["description"]
    )
    description = str(first_days["description"])
    assert "Sources:" not in description and "s04" not in description  # no reference ids
    assert description.endswith(SOURCES_NOTE)


def test_review_points_are_events(kb: KnowledgeBase) -> None:
    result = plan(kb, "microneedling", start=START, sessions=4, interval_weeks=4)
    events = _events(plan_ics(result, dtstamp=STAMP))
    reviews = {e["start"]: e["summary"] for e in events if "-review-" in str(e["uid"])}
    last = START + dt.timedelta(weeks=12)
    assert reviews[last + dt.timedelta(weeks=12)] == "Microneedling: results usually assessed"
    assert reviews[last + dt.timedelta(weeks=26)] == "Microneedling: final assessment"


def test_daily_topical_calendar(kb: KnowledgeBase) -> None:
    result = plan(kb, "topical-minoxidil", start=START, sessions=3)
    events = _events(plan_ics(result, dtstamp=STAMP))
    start = next(e for e in events if "-start-" in str(e["uid"]))
    assert start["start"] == START and start["alarms"] == [("DISPLAY", dt.timedelta(hours=-15))]
    assert start["summary"] == "Topical minoxidil: start daily use (3 months)"
    checkins = [e["start"] for e in events if "-checkin-" in str(e["uid"])]
    assert checkins == [dt.date(2027, 1, 1), dt.date(2027, 2, 1), dt.date(2027, 3, 1)]


def test_uids_are_stable_and_dtstamp_comes_from_outside(kb: KnowledgeBase) -> None:
    result = plan(kb, "mesotherapy", start=START)
    first = plan_ics(result, dtstamp=STAMP)
    assert first == plan_ics(result, dtstamp=STAMP)
    later = plan_ics(result, dtstamp=STAMP + dt.timedelta(days=3))
    assert [e["uid"] for e in _events(first)] == [e["uid"] for e in _events(later)]
    moved = plan(kb, "mesotherapy", start=START + dt.timedelta(days=1))
    assert not {e["uid"] for e in _events(first)} & {
        e["uid"] for e in _events(plan_ics(moved, dtstamp=STAMP))
    }


def test_dtstamp_must_be_timezone_aware(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_ics(plan(kb, "prp", start=START), dtstamp=dt.datetime(2026, 11, 20, 8, 30))
    other_zone = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    events = _events(plan_ics(plan(kb, "prp", start=START), dtstamp=other_zone))
    assert events[0]["stamp"] == STAMP

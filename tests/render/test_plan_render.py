"""Plan as text, Markdown and JSON: every date, step and source appears; shared wording helpers."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from treatwise.domain.plan import Plan, plan
from treatwise.knowledge import KnowledgeBase, load
from treatwise.render.plan import (
    cost_summary,
    day_label,
    format_date,
    format_period,
    plan_json,
    plan_markdown,
    plan_text,
    span,
)

START = dt.date(2026, 12, 1)
TREATMENTS = sorted(load().treatments)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_format_date_is_locale_free() -> None:
    assert format_date(START) == "Tue 1 Dec 2026"
    assert format_date(dt.date(2027, 2, 28)) == "Sun 28 Feb 2027"
    assert format_period(START, START) == "Tue 1 Dec 2026"
    assert format_period(START, dt.date(2026, 12, 3)) == "Tue 1 Dec 2026 to Thu 3 Dec 2026"


@pytest.mark.parametrize(
    ("day_from", "day_to", "expected"),
    [
        (0, 0, "Day 0"),
        (1, 3, "Days 1–3"),
        (-7, -1, "7 to 1 days before the session"),
        (-1, -1, "1 day before the session"),
        (-2, -2, "2 days before the session"),
    ],
)
def test_day_label(day_from: int, day_to: int, expected: str) -> None:
    assert day_label(day_from, day_to) == expected


def test_span_hides_a_typical_value_that_says_nothing(kb: KnowledgeBase) -> None:
    assert span(kb.treatments["microneedling"].procedure.sessions, "sessions") == (
        "3–6 sessions (typically 4)"
    )
    assert span(kb.treatments["prp"].procedure.sessions, "sessions") == "3 sessions"


def test_cost_summary_per_session_month_and_course(kb: KnowledgeBase) -> None:
    assert cost_summary(plan(kb, "microneedling", start=START, sessions=4)) == (
        "$100–$1,000 per session × 4 sessions = $400–$4,000 in total"
    )
    assert cost_summary(plan(kb, "topical-minoxidil", start=START, sessions=3)) == (
        "$9–$32 per month × 3 months = $27–$96 in total"
    )
    assert cost_summary(plan(kb, "prp", start=START)) == "$1,500–$3,500 for the whole course"
    assert cost_summary(plan(kb, "topical-retinoid", start=START)) is None


def _expected_fragments(result: Plan) -> list[str]:
    fragments = [format_date(s.date) for s in result.sessions]
    fragments += [format_date(c.date) for c in result.check_ins]
    fragments += [format_date(r.date) for r in result.reviews]
    fragments += [step.title for step in result.aftercare]
    fragments += [_flat(step.text) for step in result.aftercare]
    fragments += [_flat(w.text) for w in result.warning_signs]
    fragments += [_flat(c.text) for c in result.preparation]
    fragments.append(_flat(result.disclaimer))
    return fragments


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_text_and_markdown_hold_the_whole_plan(kb: KnowledgeBase, treatment: str) -> None:
    result = plan(kb, treatment, start=START)
    for output in (plan_text(kb, result), plan_markdown(kb, result)):
        flat = _flat(output)
        for fragment in _expected_fragments(result):
            assert fragment in flat, fragment
        for ref_id in result.references:
            assert f"[{ref_id}]" in flat
            assert _flat(kb.references[ref_id].title) in flat


def test_text_layout(kb: KnowledgeBase) -> None:
    text = plan_text(kb, plan(kb, "microneedling", start=START, sessions=3, interval_weeks=4))
    assert text.startswith("Treatwise plan: Microneedling\n=============================\n")
    assert "3 sessions, every 4 weeks, from Tue 1 Dec 2026; last session Tue 26 Jan 2027." in text
    assert "  - Session 1 of 3: Tue 1 Dec 2026\n" in text
    assert "Sat 5 Dec 2026 to Tue 8 Dec 2026: Session 1: Rest of the first week (Days 4–7)" in text
    assert "Tue 20 Apr 2027: Results usually assessed (12 weeks after the last session)" in text
    assert "Tue 27 Jul 2027: Final assessment (26 weeks after the last session)" in text
    assert all(len(line) <= 88 or "http" in line for line in text.splitlines())


def test_daily_plan_wording(kb: KnowledgeBase) -> None:
    result = plan(kb, "topical-retinoid", start=START, sessions=6)
    md = plan_markdown(kb, result)
    assert "Daily use from Tue 1 Dec 2026 for 6 months (to Tue 1 Jun 2027)." in md
    assert "## If irritation or other problems occur" in md
    assert "- Check-in, month 1: Fri 1 Jan 2027" in md
    assert "No sourced price is available for this treatment." in md
    assert "Days 0–28 of daily use, Getting used to it:" in md


def test_markdown_structure(kb: KnowledgeBase) -> None:
    md = plan_markdown(kb, plan(kb, "mesotherapy", start=START))
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings == [
        "# Treatwise plan: Mesotherapy",
        "## Sessions",
        "## Before each session",
        "## Recovery and aftercare",
        "## Calendar",
        "## Review points",
        "## Maintenance",
        "## Cost",
        "## When to call the clinic",
        "## Sources",
    ]
    assert "7 to 1 days before the session, Before the session:" in md


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_json_round_trips(kb: KnowledgeBase, treatment: str) -> None:
    result = plan(kb, treatment, start=START)
    data = json.loads(plan_json(result))
    assert Plan.model_validate(data) == result
    assert data["start"] == "2026-12-01"
    assert [s["date"] for s in data["sessions"]] == [s.date.isoformat() for s in result.sessions]
    assert plan_json(result) == plan_json(plan(kb, treatment, start=START))

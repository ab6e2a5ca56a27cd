"""Plans for every treatment: session dates, sourced ranges, aftercare, reviews, cost, errors."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from treatwise.domain.plan import (
    Plan,
    PlanError,
    add_months,
    allowed_counts,
    allowed_intervals,
    default_count,
    default_interval,
    parse_date,
    plan,
)
from treatwise.knowledge import KnowledgeBase, load

START = dt.date(2026, 12, 1)
KB = load()
TREATMENTS = sorted(KB.treatments)


def _errors(exc: pytest.ExceptionInfo[PlanError]) -> dict[str, tuple[str, str]]:
    return {e.field: (e.message, ", ".join(e.valid)) for e in exc.value.errors}


def _all_cited(result: Plan) -> list[tuple[str, ...]]:
    items: list[tuple[str, ...]] = [s.references for s in result.sessions]
    items += [m.references for m in result.timeline]
    items += [c.references for c in result.check_ins]
    items += [r.references for r in result.reviews]
    items += [tuple(c.references) for c in (*result.preparation, *result.warning_signs)]
    if result.cost is not None:
        items.append(result.cost.references)
    return items


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_every_treatment_has_a_cited_plan(kb: KnowledgeBase, treatment: str) -> None:
    result = plan(kb, treatment, start=START)
    item = kb.treatments[treatment]
    assert result.treatment == treatment and result.name == item.name
    assert result.start == START
    for refs in _all_cited(result):
        assert refs, "every plan item cites a source"
        assert set(refs) <= set(kb.references)
    assert set(result.references) <= set(kb.references)
    assert len(result.references) == len(set(result.references))
    for group in _all_cited(result):
        assert set(group) <= set(result.references)
    assert result.warning_signs == item.warning_signs
    assert result.disclaimer == kb.rules.disclaimer
    assert [r.date for r in result.reviews] == sorted({r.date for r in result.reviews})
    assert all(r.date > result.end or result.kind == "daily" for r in result.reviews)


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_sessions_follow_the_sourced_protocol(kb: KnowledgeBase, treatment: str) -> None:
    item = kb.treatments[treatment]
    result = plan(kb, treatment, start=START)
    if item.procedure.interval_weeks is None:
        assert result.kind == "daily" and result.sessions == ()
        assert result.months == default_count(item)
        assert [c.date for c in result.check_ins] == [
            add_months(START, m) for m in range(1, result.months + 1)
        ]
        assert len(result.timeline) == len(item.aftercare)
        return
    assert result.kind == "sessions"
    assert len(result.sessions) == default_count(item)
    assert allowed_counts(item)[0] <= len(result.sessions) <= allowed_counts(item)[-1]
    weeks = default_interval(item)
    assert weeks is not None
    for n, session in enumerate(result.sessions):
        assert session.number == n + 1
        assert session.date == START + dt.timedelta(weeks=weeks * n)
    assert result.end == result.sessions[-1].date
    assert len(result.timeline) == len(result.sessions) * len(item.aftercare)


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_every_allowed_choice_builds(kb: KnowledgeBase, treatment: str) -> None:
    item = kb.treatments[treatment]
    for count in allowed_counts(item):
        for weeks in allowed_intervals(item) or (None,):
            result = plan(kb, treatment, start=START, sessions=count, interval_weeks=weeks)
            assert (len(result.sessions) or result.months) == count
            if weeks is not None:
                assert result.interval_weeks == weeks


def test_aftercare_timeline_is_dated_from_each_session(kb: KnowledgeBase) -> None:
    result = plan(kb, "microneedling", start=START, sessions=3, interval_weeks=4)
    first = [m for m in result.timeline if m.session == 1]
    assert [(m.day_from, m.day_to) for m in first] == [(0, 0), (1, 3), (4, 7), (7, 14)]
    assert [m.start for m in first] == [START, *(START + dt.timedelta(days=d) for d in (1, 4, 7))]
    third = [m for m in result.timeline if m.session == 3]
    assert third[0].start == START + dt.timedelta(weeks=8)
    assert third[-1].end == START + dt.timedelta(weeks=8, days=14)
    assert result.timeline == tuple(sorted(result.timeline, key=lambda m: (m.start, m.session)))


def test_pre_session_steps_fall_before_each_session(kb: KnowledgeBase) -> None:
    result = plan(kb, "mesotherapy", start=START, sessions=3, interval_weeks=2)
    before = [m for m in result.timeline if m.day_to < 0]
    assert [m.start for m in before] == [
        START - dt.timedelta(days=7) + dt.timedelta(weeks=2 * n) for n in range(3)
    ]


def test_microneedling_results_reviewed_at_3_and_6_months_after_the_course(
    kb: KnowledgeBase,
) -> None:
    result = plan(kb, "microneedling", start=START, sessions=4, interval_weeks=4)
    last = result.sessions[-1].date
    by_kind = {r.kind: r for r in result.reviews}
    assert by_kind["usual"].date == last + dt.timedelta(weeks=12)
    assert by_kind["final"].date == last + dt.timedelta(weeks=26)
    assert by_kind["earliest"].date == last + dt.timedelta(weeks=4)
    assert "6 months" in (by_kind["final"].text or "")


def test_one_sourced_time_point_gives_one_review(kb: KnowledgeBase) -> None:
    result = plan(kb, "rf-microneedling", start=START)
    assert [(r.kind, r.label, r.weeks) for r in result.reviews] == [
        ("usual", "Results assessed", 12.0)
    ]


def test_topical_reviews_count_from_the_start(kb: KnowledgeBase) -> None:
    result = plan(kb, "topical-minoxidil", start=START, sessions=4)
    assert result.end == dt.date(2027, 4, 1)
    assert [r.date for r in result.reviews] == [START + dt.timedelta(weeks=w) for w in (12, 16, 26)]
    shedding = result.timeline[0]
    assert (shedding.start, shedding.end) == (
        START + dt.timedelta(days=14),
        START + dt.timedelta(days=42),
    )


def test_total_cost_is_unit_price_times_units(kb: KnowledgeBase) -> None:
    mn = plan(kb, "microneedling", start=START, sessions=5)
    assert mn.cost is not None and mn.cost.per == "session" and mn.cost.units == 5
    assert (mn.cost.total_min_usd, mn.cost.total_max_usd) == (500.0, 5000.0)
    minox = plan(kb, "topical-minoxidil", start=START, sessions=3)
    assert minox.cost is not None and minox.cost.per == "month"
    assert (minox.cost.units, minox.cost.total_min_usd, minox.cost.total_max_usd) == (3, 27, 96)
    prp = plan(kb, "prp", start=START)
    assert prp.cost is not None and prp.cost.per == "course" and prp.cost.units == 1
    assert plan(kb, "topical-retinoid", start=START).cost is None  # no sourced price


def test_defaults_prefer_typical_then_fewest_sessions_and_longest_interval(
    kb: KnowledgeBase,
) -> None:
    meso = kb.treatments["mesotherapy"]  # sessions 3-6 typical 4; interval 2-4, no typical
    assert (default_count(meso), default_interval(meso)) == (4, 4.0)
    deoxy = kb.treatments["deoxycholic-acid"]  # sessions 2-6, no typical
    assert default_count(deoxy) == 2


def test_sessions_outside_the_sourced_range_name_the_range(kb: KnowledgeBase) -> None:
    with pytest.raises(PlanError) as exc:
        plan(kb, "microneedling", start=START, sessions=987654)
    message, valid = _errors(exc)["sessions"]
    assert "from 3 to 6" in message and "Microneedling" in message
    assert valid == "3, 4, 5, 6"
    assert "987654" not in str(exc.value)


@pytest.mark.parametrize("bad", [0, 2, 7, True, 4.0, "4", [3]])
def test_sessions_must_be_a_whole_number_in_range(kb: KnowledgeBase, bad: object) -> None:
    with pytest.raises(PlanError) as exc:
        plan(kb, "microneedling", start=START, sessions=bad)  # type: ignore[arg-type]
    assert set(_errors(exc)) == {"sessions"}


@pytest.mark.parametrize("bad", [1, 7, 1.5, float("nan"), float("inf"), True, "4"])
def test_interval_outside_the_sourced_range(kb: KnowledgeBase, bad: object) -> None:
    with pytest.raises(PlanError) as exc:
        plan(kb, "microneedling", start=START, interval_weeks=bad)  # type: ignore[arg-type]
    message, valid = _errors(exc)["interval_weeks"]
    assert message.startswith("must be from 2 to 6 weeks") and valid == "2, 3, 4, 5, 6"


def test_fractional_interval_inside_the_range_is_kept(kb: KnowledgeBase) -> None:
    result = plan(kb, "microneedling", start=START, sessions=3, interval_weeks=2.5)
    assert [s.date for s in result.sessions][1] == START + dt.timedelta(days=18)


def test_exact_ranges_say_exactly(kb: KnowledgeBase) -> None:
    with pytest.raises(PlanError) as exc:
        plan(kb, "chemical-peel", start=START, sessions=3, interval_weeks=4)
    errors = _errors(exc)
    assert "exactly 6" in errors["sessions"][0] and errors["sessions"][1] == "6"
    assert "exactly 2 weeks" in errors["interval_weeks"][0]


def test_topicals_take_months_and_no_interval(kb: KnowledgeBase) -> None:
    with pytest.raises(PlanError) as exc:
        plan(kb, "topical-retinoid", start=START, sessions=13, interval_weeks=4)
    errors = _errors(exc)
    assert "months of daily use" in errors["sessions"][0]
    assert errors["interval_weeks"][0].startswith("does not apply")


def test_unknown_treatment_lists_the_valid_ids(kb: KnowledgeBase) -> None:
    with pytest.raises(PlanError) as exc:
        plan(kb, "botox", start=START)
    message, valid = _errors(exc)["treatment"]
    assert message == "unknown treatment" and valid == ", ".join(TREATMENTS)
    assert "botox" not in str(exc.value)


def test_past_start_is_refused_only_when_today_is_given(kb: KnowledgeBase) -> None:
    today = dt.date(2026, 12, 2)
    with pytest.raises(PlanError) as exc:
        plan(kb, "microneedling", start=START, today=today)
    message, valid = _errors(exc)["start"]
    assert "past" in message and valid == "2026-12-02 or later"
    assert plan(kb, "microneedling", start=today, today=today).start == today
    assert plan(kb, "microneedling", start=START).start == START  # no today: no check


@pytest.mark.parametrize("bad", ["2026-12-01", dt.datetime(2026, 12, 1, 10, 0), None])
def test_start_must_be_a_date(kb: KnowledgeBase, bad: object) -> None:
    with pytest.raises(PlanError) as exc:
        plan(kb, "microneedling", start=bad)  # type: ignore[arg-type]
    assert "YYYY-MM-DD" in _errors(exc)["start"][0]


def test_every_problem_is_reported_at_once(kb: KnowledgeBase) -> None:
    with pytest.raises(PlanError) as exc:
        plan(
            kb,
            "microneedling",
            start=START,
            sessions=1,
            interval_weeks=9,
            today=START.replace(year=2027),
        )
    assert set(_errors(exc)) == {"start", "sessions", "interval_weeks"}


def test_parse_date() -> None:
    assert parse_date(" 2026-12-01 ") == START
    for bad in ["2026-13-01", "2026-02-30", "01/12/2026", "20261201", "", "2026-1-1", "tomorrow"]:
        with pytest.raises(PlanError) as exc:
            parse_date(bad, field="start")
        assert [e.field for e in exc.value.errors] == ["start"]
        assert "YYYY-MM-DD" in str(exc.value)


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 15), 14) == dt.date(2028, 1, 15)


def test_the_same_input_gives_the_same_plan(kb: KnowledgeBase) -> None:
    a = plan(kb, "mesotherapy", start=START, sessions=5, interval_weeks=3)
    b = plan(kb, "mesotherapy", start=START, sessions=5, interval_weeks=3)
    assert a == b and a.model_dump_json() == b.model_dump_json()


@settings(max_examples=200, deadline=None)
@given(
    treatment=st.sampled_from(TREATMENTS),
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2100, 1, 1)),
    data=st.data(),
)
def test_sessions_are_evenly_spaced_and_in_order(
    treatment: str, start: dt.date, data: st.DataObject
) -> None:
    item = KB.treatments[treatment]
    count = data.draw(st.sampled_from(allowed_counts(item)))
    intervals = allowed_intervals(item)
    weeks = data.draw(st.sampled_from(intervals)) if intervals else None
    result = plan(KB, treatment, start=start, sessions=count, interval_weeks=weeks)
    dates = [s.date for s in result.sessions]
    assert dates == sorted(set(dates))
    if weeks is not None:
        assert all(b - a == dt.timedelta(weeks=weeks) for a, b in itertools.pairwise(dates))
    assert result.start <= result.end
    assert all(c.date > start for c in result.check_ins)

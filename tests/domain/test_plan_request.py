"""``parse_plan``: one reading of a plan request for the API, the page and the CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from treatwise.domain.plan import PlanError, parse_plan, plan
from treatwise.knowledge import KnowledgeBase, load

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load()


def _fields(data: object, **kwargs: bool) -> list[tuple[str, str]]:
    with pytest.raises(PlanError) as exc:
        parse_plan(load(), data, today=TODAY, **kwargs)
    return [(e.field, e.message) for e in exc.value.errors]


def test_defaults_match_the_domain(kb: KnowledgeBase) -> None:
    assert parse_plan(kb, {"treatment": "microneedling"}, today=TODAY) == plan(
        kb, "microneedling", start=TODAY, today=TODAY
    )


def test_form_text_is_read_as_numbers(kb: KnowledgeBase) -> None:
    asked = {"treatment": "microneedling", "start": "2026-12-08", "sessions": "4"}
    got = parse_plan(kb, asked, today=TODAY, text=True)
    assert got == plan(kb, "microneedling", start=dt.date(2026, 12, 8), sessions=4, today=TODAY)


def test_every_problem_is_listed_once_per_field() -> None:
    errors = _fields({"start": "tomorrow", "colour": "red"})
    assert [f for f, _ in errors] == ["colour", "treatment", "start"]
    assert _fields({"treatment": "prp", "sessions": "many"}, text=True) == [
        ("sessions", "enter a whole number")
    ]
    assert _fields(["microneedling"]) == [("body", "must be a JSON object")]
    assert _fields({"treatment": "prp", "start": 20261201})[0] == (
        "start",
        "must be a date string, YYYY-MM-DD",
    )

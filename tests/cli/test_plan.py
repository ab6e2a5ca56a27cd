"""``treatwise plan``: formats, the --ics file, today as the default start, exit 2 on bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from treatwise.cli import app
from treatwise.domain.plan import plan
from treatwise.knowledge import KnowledgeBase
from treatwise.render.plan import plan_markdown, plan_text

runner = CliRunner()
FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def test_json_is_the_plan(kb: KnowledgeBase) -> None:
    args = ["plan", "microneedling", "--start", FUTURE, "--sessions", "3", "--interval-weeks", "6"]
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = plan(
        kb, "microneedling", start=dt.date.fromisoformat(FUTURE), sessions=3, interval_weeks=6
    )
    assert result.stdout.strip() == expected.model_dump_json(indent=2)


def test_text_and_markdown(kb: KnowledgeBase) -> None:
    expected = plan(kb, "mesotherapy", start=dt.date.fromisoformat(FUTURE))
    text = runner.invoke(app, ["plan", "mesotherapy", "--start", FUTURE])
    assert text.exit_code == 0 and text.stdout == plan_text(kb, expected)
    md = runner.invoke(app, ["plan", "mesotherapy", "--start", FUTURE, "--format", "markdown"])
    assert md.exit_code == 0 and md.stdout == plan_markdown(kb, expected)


def test_start_defaults_to_today() -> None:
    result = runner.invoke(app, ["plan", "topical-minoxidil", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["start"] == dt.date.today().isoformat()


def test_ics_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    result = runner.invoke(
        app, ["plan", "microneedling", "--start", FUTURE, "--sessions", "4", "--ics", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert f"Calendar written to {target}" in result.stderr
    cal = Calendar.from_ical(target.read_bytes())
    starts = sorted(
        e.decoded("dtstart") for e in cal.walk("VEVENT") if "-session-2" in str(e["uid"])
    )
    first = dt.date.fromisoformat(FUTURE)
    assert starts == [first + dt.timedelta(weeks=4 * n) for n in range(4)]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["nope"], "error: TREATMENT: unknown treatment; valid values: chemical-peel,"),
        (["microneedling", "--start", "2020-01-01"], "error: --start: is in the past"),
        (["microneedling", "--start", "1/12/2030"], "error: --start: not a valid date"),
        (["microneedling", "--sessions", "7"], "error: --sessions: must be a whole number"),
        (
            ["microneedling", "--interval-weeks", "1"],
            "error: --interval-weeks: must be from 2 to 6",
        ),
        (["topical-retinoid", "--interval-weeks", "4"], "error: --interval-weeks: does not apply"),
        (["microneedling", "--sessions", "x"], "Invalid value for '--sessions'"),
        (["microneedling", "--format", "pdf"], "Invalid value for '--format'"),
    ],
)
def test_bad_input_exits_2_with_a_message(args: list[str], expected: str) -> None:
    result = runner.invoke(app, ["plan", *args])
    assert result.exit_code == 2
    assert expected in " ".join(result.stderr.replace("│", " ").split())
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_sessions_error_names_the_sourced_range() -> None:
    result = runner.invoke(app, ["plan", "microneedling", "--sessions", "9"])
    assert result.exit_code == 2
    assert "from 3 to 6" in result.stderr and "valid values: 3, 4, 5, 6" in result.stderr


def test_unwritable_ics_path_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "plan.ics"
    result = runner.invoke(app, ["plan", "prp", "--ics", str(target)])
    assert result.exit_code == 2
    assert "error: --ics: cannot write the file" in result.stderr
    assert not target.exists()

"""``treatwise plan``: a session schedule and recovery timeline for one treatment.

The start defaults to today (decided here, at the edge, never in the domain);
a start in the past is refused. Bad input exits with code 2 and a message that
names the option and the allowed (sourced) values.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from treatwise.cli.common import BAD_INPUT, load_kb
from treatwise.cli.formats import PlanFormat
from treatwise.domain.plan import PlanError, PlanFieldError, parse_plan
from treatwise.render.ics import plan_ics
from treatwise.render.plan import plan_json, plan_markdown, plan_text

OPTIONS = {
    "treatment": "TREATMENT",
    "start": "--start",
    "sessions": "--sessions",
    "interval_weeks": "--interval-weeks",
}


def plan_command(
    treatment: Annotated[
        str, typer.Argument(metavar="TREATMENT", help="Treatment id, e.g. microneedling")
    ],
    start: Annotated[
        str | None,
        typer.Option("--start", help="First session or first day of use, YYYY-MM-DD [today]"),
    ] = None,
    sessions: Annotated[
        int | None,
        typer.Option(
            "--sessions", help="Number of sessions (months of daily use for topicals) [typical]"
        ),
    ] = None,
    interval_weeks: Annotated[
        float | None,
        typer.Option("--interval-weeks", help="Weeks between sessions [typical]"),
    ] = None,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Also write the plan as an iCalendar file")
    ] = None,
    output_format: Annotated[
        PlanFormat, typer.Option("--format", help="Output format")
    ] = PlanFormat.text,
) -> None:
    """Plan the sessions, preparation, recovery, review points and cost of one treatment."""
    kb = load_kb()
    today = dt.date.today()
    asked = {"start": start, "sessions": sessions, "interval_weeks": interval_weeks}
    try:
        result = parse_plan(kb, {"treatment": treatment, **asked}, today=today)
    except PlanError as exc:
        for error in exc.errors:
            typer.echo(
                f"error: {OPTIONS.get(error.field, error.field)}: {_detail(error)}", err=True
            )
        raise typer.Exit(BAD_INPUT) from None
    if ics is not None:
        _write(ics, plan_ics(result, dtstamp=dt.datetime.now(dt.UTC)))
    if output_format is PlanFormat.json:
        typer.echo(plan_json(result))
    elif output_format is PlanFormat.markdown:
        typer.echo(plan_markdown(kb, result), nl=False)
    else:
        typer.echo(plan_text(kb, result), nl=False)


def _detail(error: PlanFieldError) -> str:
    valid = f"; valid values: {', '.join(error.valid)}" if error.valid else ""
    return f"{error.message}{valid}"


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as exc:
        typer.echo(f"error: --ics: cannot write the file ({exc.strerror})", err=True)
        raise typer.Exit(BAD_INPUT) from None
    typer.echo(f"Calendar written to {path}", err=True)

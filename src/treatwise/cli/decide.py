"""``treatwise decide``: run the decision aid on an intake file, or ask the questions.

The intake is health data: it is read, assessed and printed, never written to
a file or logged. Bad input exits with code 2 and a message naming the field.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from treatwise.cli.common import BAD_INPUT, load_kb
from treatwise.cli.formats import DecideFormat
from treatwise.domain.decide import IntakeError, assess, decode_intake, parse_intake, questions
from treatwise.knowledge import KnowledgeBase
from treatwise.render.assessment import assessment_json, assessment_text


def decide_command(
    intake: Annotated[
        Path | None,
        typer.Option(
            "--intake",
            help="Intake JSON file (see docs/decision-aid.md); '-' reads standard input. "
            "Without it, the questions are asked one by one.",
        ),
    ] = None,
    output_format: Annotated[
        DecideFormat, typer.Option("--format", help="Output format")
    ] = DecideFormat.text,
) -> None:
    """Screen and rank every treatment for one person; says when to see a doctor first."""
    kb = load_kb()
    data = _read(intake) if intake is not None else ask(kb)
    try:
        parsed = parse_intake(kb, data)
    except IntakeError as exc:
        for error in exc.errors:
            typer.echo(f"error: {error}", err=True)
        raise typer.Exit(BAD_INPUT) from None
    result = assess(kb, parsed)
    if output_format is DecideFormat.json:
        typer.echo(assessment_json(result))
    else:
        typer.echo(assessment_text(kb, result, parsed))


def _read(path: Path) -> Any:
    try:
        raw = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not readable as UTF-8 text"
        typer.echo(f"error: --intake: cannot read the file ({reason})", err=True)
        raise typer.Exit(BAD_INPUT) from None
    try:
        return decode_intake(raw, field="--intake")
    except IntakeError as exc:
        for error in exc.errors:
            typer.echo(f"error: {error}", err=True)
        raise typer.Exit(BAD_INPUT) from None


def ask(kb: KnowledgeBase) -> dict[str, Any]:
    """Ask the intake questions in plain language; returns the intake as decoded JSON."""
    typer.echo("Treatwise decision aid. Your answers stay on this computer and are not saved.\n")
    data: dict[str, Any] = {"age": typer.prompt("How old are you (in years)?", type=int)}
    sex = _choose("Sex (for some hair-loss advice)", ["female", "male", "other", "skip"])
    if sex != "skip":
        data["sex"] = sex
    skin = _choose(
        "Skin type, Fitzpatrick 1-6 (1 always burns, never tans; 6 never burns)",
        ["unsure", "1", "2", "3", "4", "5", "6"],
    )
    if skin != "unsure":
        data["fitzpatrick"] = int(skin)
    data["concerns"] = _pick_concerns(kb)
    typer.echo(
        "\nHealth questions: answer yes, no or not sure (just press Enter for not sure)."
        " A question you are not sure about counts as possibly yes."
    )
    answers = {
        condition.id: _yes_no_unsure(condition.question)
        for condition in questions(kb, sex=data.get("sex"), concerns=data["concerns"])
    }
    data["conditions"] = [c for c, answer in answers.items() if answer == "yes"]
    data["unsure"] = [c for c, answer in answers.items() if answer == "unsure"]
    data["setting"] = _choose("Where would you have it done", ["medical", "salon", "home"])
    data["preferences"] = _preferences()
    considering = _pick_considering(kb)
    if considering is not None:
        data["considering"] = considering
    return data


_ANSWERS = {"y": "yes", "yes": "yes", "n": "no", "no": "no", "": "unsure", "?": "unsure"}
_ANSWERS |= {"not sure": "unsure", "unsure": "unsure", "u": "unsure"}


def _yes_no_unsure(question: str) -> str:
    """yes, no or unsure; Enter (no answer) is "unsure", never "no"."""
    while True:
        answer = str(typer.prompt(f"{question.strip()} [yes/no/not sure]", default=""))
        if answer.strip().lower() in _ANSWERS:
            return _ANSWERS[answer.strip().lower()]
        typer.echo("Please answer yes, no or not sure (Enter).")


def _pick_considering(kb: KnowledgeBase) -> str | None:
    treatments = sorted(kb.treatments.values(), key=lambda t: t.name)
    typer.echo("\nDid you come asking about one treatment in particular?")
    for number, treatment in enumerate(treatments, start=1):
        typer.echo(f"  {number:2}. {treatment.name}")
    while True:
        answer = str(typer.prompt("Its number (blank: none)", default="")).strip()
        if not answer:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(treatments):
            return treatments[int(answer) - 1].id
        typer.echo(f"Please give a number from 1 to {len(treatments)}, or leave it blank")


def _pick_concerns(kb: KnowledgeBase) -> list[str]:
    concerns = sorted(kb.concerns.values(), key=lambda c: c.id)
    for number, concern in enumerate(concerns, start=1):
        typer.echo(f"  {number:2}. {concern.name}: {concern.description}")
    while True:
        answer = typer.prompt("Which concerns? Numbers separated by commas")
        picked = [part.strip() for part in answer.split(",") if part.strip()]
        if picked and all(p.isdigit() and 1 <= int(p) <= len(concerns) for p in picked):
            return [concerns[int(p) - 1].id for p in picked]
        typer.echo(f"Please give numbers from 1 to {len(concerns)}, e.g. 1,3")


def _choose(question: str, choices: list[str]) -> str:
    while True:
        answer = str(typer.prompt(f"{question} [{'/'.join(choices)}]", default=choices[0]))
        if answer.strip().lower() in choices:
            return answer.strip().lower()
        typer.echo(f"Please answer one of: {', '.join(choices)}")


def _preferences() -> dict[str, Any]:
    prefs: dict[str, Any] = {
        "avoid_needles": typer.confirm("Would you rather avoid needles?", default=False),
        "avoid_injections": typer.confirm("Would you rather avoid injections?", default=False),
    }
    downtime = typer.prompt(
        "Most days of visible recovery you can allow (blank: no limit)", default=""
    )
    budget = typer.prompt("Budget per session in US dollars (blank: no limit)", default="")
    sessions = typer.prompt("Most sessions you want (blank: no limit)", default="")
    for key, value, kind in (
        ("max_downtime_days", downtime, int),
        ("budget_per_session_usd", budget, float),
        ("max_sessions", sessions, int),
    ):
        if str(value).strip():
            try:
                prefs[key] = kind(str(value).strip())
            except ValueError:
                typer.echo(f"error: preferences.{key}: expected a number", err=True)
                raise typer.Exit(BAD_INPUT) from None
    return prefs

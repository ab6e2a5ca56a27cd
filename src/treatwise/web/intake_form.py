"""The decision-aid HTML form: posted fields → intake data, and field errors in plain words.

The form is the JSON intake in HTML clothes, in three short steps that work
without JavaScript (each step posts every earlier answer again in hidden fields;
nothing is kept on the server):

1. ``about``: ``concerns`` (checkboxes), ``age``, ``sex``, ``fitzpatrick``;
2. ``health``: one yes / no / not sure radio ``cond-<id>`` per question that
   :func:`treatwise.domain.decide.questions` asks this person (``ask_if``: sex
   and concerns). An asked question left unanswered, or answered "not sure", is
   sent as ``unsure``, never as "no"; a question not asked is not sent at all;
3. ``preferences``: ``setting``, the preference fields, ``considering`` (the
   treatment the person came asking about) and ``matters`` (what matters most,
   shown back and printed on the handout; it does not change the ranking).

The submit button's ``go`` says which step to show next (``about``, ``health``,
``preferences``) or ``result``; a post without ``go`` is the whole form at once.
Numbers arrive as text, so they are converted here; everything else is
validated by ``domain.decide.parse_intake``. Nothing here logs or stores values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from treatwise.domain.decide import FieldError, Intake, IntakeError, parse_intake, questions
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Condition

STEPS = ("about", "health", "preferences")
STEP_TITLES = {
    "about": "About you and your concerns",
    "health": "Your health",
    "preferences": "Your preferences",
}
STEP_FIELDS = {
    "about": ("age", "sex", "fitzpatrick", "concerns"),
    "health": ("answers",),
    "preferences": (
        "setting",
        "max_downtime_days",
        "max_sessions",
        "budget_per_session_usd",
        "avoid_needles",
        "avoid_injections",
        "considering",
        "matters",
    ),
}
"""Which form values each step shows; the others travel in hidden fields."""
ANSWERS = ("yes", "no", "unsure")
_SCALARS = (
    "age",
    "sex",
    "fitzpatrick",
    "setting",
    "max_downtime_days",
    "budget_per_session_usd",
    "max_sessions",
    "matters",
    "considering",
)

MATTERS = {
    "evidence": "The strongest evidence that it works",
    "safety": "The lowest risk of side effects",
    "downtime": "Little or no downtime",
    "no-needles": "Avoiding needles and injections",
    "cost": "The lowest total cost",
    "sessions": "The fewest sessions",
}
SURE_QUESTIONS = {
    "sure": "Do you feel sure about the best choice for you?",
    "understand": "Do you know the benefits and risks of each option?",
    "values": "Are you clear about which benefits and risks matter most to you?",
    "support": "Do you have enough support and advice to make a choice?",
}
_INTS = {
    "age": "age",
    "fitzpatrick": "fitzpatrick",
    "max_downtime_days": "preferences.max_downtime_days",
    "max_sessions": "preferences.max_sessions",
}
_NUMBER_WORDS = {
    "age": "Enter your age as a whole number of years (for example 34).",
    "fitzpatrick": "Choose a skin type from 1 to 6, or “I don't know”.",
    "preferences.max_downtime_days": "Enter a whole number of days, or leave it empty.",
    "preferences.max_sessions": "Enter a whole number of sessions, or leave it empty.",
    "preferences.budget_per_session_usd": "Enter an amount in US dollars, or leave it empty.",
}


@dataclass
class IntakeForm:
    """What the person posted (to fill the form again), the intake data, and any errors."""

    values: dict[str, Any]
    data: dict[str, Any]
    errors: list[FieldError] = field(default_factory=list)
    asked: list[Condition] = field(default_factory=list)
    go: str = "result"

    def step_of_first_error(self) -> str:
        """The step that holds the first field with an error (where to send the person)."""
        for step in STEPS:
            if self.errors_on(step):
                return step
        return "about"

    def errors_on(self, step: str) -> list[FieldError]:
        """The errors of the fields this step shows (the summary links only to those)."""
        names = STEP_FIELDS[step]
        return [e for e in self.errors if form_name(e.field) in names]

    def error_for(self, name: str) -> str | None:
        """The plain message for a form field (``concerns``, ``age``, ``max_sessions``...)."""
        for error in self.errors:
            if form_name(error.field) == name:
                return plain_message(error)
        return None


def form_name(intake_field: str) -> str:
    """Map an intake field (``preferences.max_sessions``, ``concerns[2]``) to its form input."""
    name = re.sub(r"\[\d+\]$", "", intake_field)
    return name.removeprefix("preferences.")


def plain_message(error: FieldError) -> str:
    """A message for people: the number hints, or the domain's own text with valid values."""
    if error.field in _NUMBER_WORDS:
        return _NUMBER_WORDS[error.field]
    if form_name(error.field) == "concerns":
        return "Choose at least one concern from the list."
    if error.valid:
        return f"{error.message.capitalize()}. Choose one of: {', '.join(error.valid)}."
    return error.message.capitalize() + "."


def parse_form(form: FormData, kb: KnowledgeBase) -> IntakeForm:
    """Turn posted fields into intake data; unreadable numbers become field errors.

    Only the questions asked of this person (``ask_if``) count: "yes" → ``conditions``;
    "not sure" or no answer → ``unsure``; "no" → neither.
    """
    values: dict[str, Any] = {key: str(form.get(key, "") or "").strip() for key in _SCALARS}
    values["concerns"] = [str(c) for c in form.getlist("concerns")]
    values["avoid_needles"] = form.get("avoid_needles") == "yes"
    values["avoid_injections"] = form.get("avoid_injections") == "yes"
    values["answers"] = {
        c: str(form.get(f"cond-{c}")) for c in kb.conditions if form.get(f"cond-{c}") in ANSWERS
    }
    sex = values["sex"] if values["sex"] in ("female", "male", "other") else None
    asked = questions(kb, sex=sex, concerns=values["concerns"])
    answers = values["answers"]
    values["conditions"] = [c.id for c in asked if answers.get(c.id) == "yes"]
    values["unsure"] = [c.id for c in asked if answers.get(c.id) not in ("yes", "no")]
    values["sure"] = {k: form.get(f"sure-{k}") for k in SURE_QUESTIONS}
    go = str(form.get("go", "") or "result")
    result = IntakeForm(values=values, data={}, asked=asked, go=go if go in STEPS else "result")
    result.data = _intake_data(values, result.errors)
    return result


def _number(raw: str, name: str, errors: list[FieldError], *, whole: bool) -> int | float | None:
    if raw == "" or raw == "unknown":
        return None
    try:
        return int(raw) if whole else float(raw)
    except ValueError:
        errors.append(FieldError(name, "not a number"))
        return None


def _intake_data(values: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    numbers = {key: _number(values[key], full, errors, whole=True) for key, full in _INTS.items()}
    budget = _number(
        values["budget_per_session_usd"], "preferences.budget_per_session_usd", errors, whole=False
    )
    preferences = {
        "max_downtime_days": numbers["max_downtime_days"],
        "avoid_needles": values["avoid_needles"],
        "avoid_injections": values["avoid_injections"],
        "budget_per_session_usd": budget,
        "max_sessions": numbers["max_sessions"],
    }
    data: dict[str, Any] = {
        "age": numbers["age"],
        "concerns": values["concerns"],
        "conditions": values["conditions"],
        "unsure": values["unsure"],
        "preferences": {k: v for k, v in preferences.items() if v is not None},
    }
    for key in ("sex", "setting", "considering"):
        if values[key] and values[key] != "unknown":
            data[key] = values[key]
    if numbers["fitzpatrick"] is not None:
        data["fitzpatrick"] = numbers["fitzpatrick"]
    return data


def validate_about(kb: KnowledgeBase, form: IntakeForm) -> bool:
    """Check the first step's fields (age, sex, skin type, concerns) before asking more."""
    first = {k: form.data[k] for k in ("age", "concerns", "sex", "fitzpatrick") if k in form.data}
    try:
        parse_intake(kb, first)
    except IntakeError as exc:
        seen = {e.field for e in form.errors}
        form.errors += [e for e in exc.errors if e.field not in seen]
    form.errors = [e for e in form.errors if form_name(e.field) in STEP_FIELDS["about"]]
    return not form.errors


def validate(kb: KnowledgeBase, form: IntakeForm) -> Intake | None:
    """The intake, or None with ``form.errors`` filled (form errors first, one per field)."""
    try:
        intake = parse_intake(kb, form.data)
    except IntakeError as exc:
        seen = {e.field for e in form.errors}
        form.errors += [e for e in exc.errors if e.field not in seen]
        return None
    return None if form.errors else intake

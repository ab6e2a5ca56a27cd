"""The intake: what a person tells the decision aid, validated strictly.

``parse_intake(kb, data)`` turns decoded JSON (or a dict built from a form) into
an :class:`Intake`, or raises :class:`IntakeError` listing every problem. Each
problem names the field (``preferences.max_downtime_days``, ``concerns[1]``) and
the valid values. Messages never repeat the submitted value: the intake is
health data, and error text may end up in a terminal or a log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import SETTINGS, Setting

Sex = Literal["female", "male", "other"]
SEXES: tuple[Sex, ...] = ("female", "male", "other")

MAX_AGE = 120
MAX_DOWNTIME_DAYS = 365
MAX_SESSIONS = 100
MAX_BUDGET_USD = 1_000_000


StrictInt = Annotated[int, Strict()]
StrictBool = Annotated[bool, Strict()]
StrictFloat = Annotated[float, Strict()]


class _Strict(BaseModel):
    """Scalars are strict (no "34" for 34, no "yes" for true); lists may be JSON arrays."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Preferences(_Strict):
    """What the person would rather avoid; every field is optional."""

    max_downtime_days: StrictInt | None = Field(default=None, ge=0, le=MAX_DOWNTIME_DAYS)
    avoid_needles: StrictBool = False
    avoid_injections: StrictBool = False
    budget_per_session_usd: StrictFloat | None = Field(default=None, ge=0, le=MAX_BUDGET_USD)
    max_sessions: StrictInt | None = Field(default=None, ge=1, le=MAX_SESSIONS)


class Intake(_Strict):
    """A validated intake (DESIGN "Intake"). Ids are checked against the knowledge base."""

    age: StrictInt = Field(ge=0, le=MAX_AGE)
    sex: Sex | None = None
    fitzpatrick: StrictInt | None = Field(default=None, ge=1, le=6)
    concerns: tuple[str, ...] = Field(min_length=1)
    conditions: tuple[str, ...] = ()
    setting: Setting = "medical"
    preferences: Preferences = Preferences()


@dataclass(frozen=True)
class FieldError:
    """One problem with the intake: the field, what is wrong, and the valid values."""

    field: str
    message: str
    valid: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.field}: {self.message}"
        return f"{text}; valid values: {', '.join(self.valid)}" if self.valid else text


class IntakeError(ValueError):
    """The intake is invalid; ``errors`` lists every problem (field, message, valid values)."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


_FIELDS = tuple(Intake.model_fields)
_PREFERENCE_FIELDS = tuple(Preferences.model_fields)
_BOOL = ("true", "false")

# What each field accepts, in words (used when a value has the wrong type or range).
_HINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "age": (f"a whole number of years from 0 to {MAX_AGE}", ()),
    "sex": ("must be one of the listed values (or left out)", SEXES),
    "fitzpatrick": ("a whole number from 1 to 6 (or left out)", ("1", "2", "3", "4", "5", "6")),
    "setting": ("must be one of the listed values", SETTINGS),
    "preferences": ("an object with the listed fields", _PREFERENCE_FIELDS),
    "preferences.max_downtime_days": (
        f"a whole number of days from 0 to {MAX_DOWNTIME_DAYS} (or left out)",
        (),
    ),
    "preferences.avoid_needles": ("true or false", _BOOL),
    "preferences.avoid_injections": ("true or false", _BOOL),
    "preferences.budget_per_session_usd": (
        f"a number of US dollars from 0 to {MAX_BUDGET_USD} (or left out)",
        (),
    ),
    "preferences.max_sessions": (f"a whole number from 1 to {MAX_SESSIONS} (or left out)", ()),
}


def parse_intake(kb: KnowledgeBase, data: Any) -> Intake:
    """Validate decoded JSON against the contract and the knowledge base's ids."""
    if not isinstance(data, Mapping):
        raise IntakeError(
            [FieldError("intake", "expected a JSON object with the listed fields", _FIELDS)]
        )
    try:
        intake = Intake.model_validate(_without_nulls(data))
    except ValidationError as exc:
        raise IntakeError(_translate(kb, exc)) from None
    errors = [
        *_unknown_ids("concerns", intake.concerns, sorted(kb.concerns)),
        *_unknown_ids("conditions", intake.conditions, sorted(kb.conditions)),
    ]
    if errors:
        raise IntakeError(errors)
    return intake.model_copy(
        update={
            "concerns": _unique(intake.concerns),
            "conditions": tuple(sorted(set(intake.conditions))),
        }
    )


_OPTIONAL = frozenset({"sex", "fitzpatrick", "conditions", "setting", "preferences"})


def _without_nulls(data: Mapping[Any, Any]) -> dict[Any, Any]:
    """``null`` for an optional field means "not given" (``age`` and ``concerns`` stay required)."""
    out = {k: v for k, v in data.items() if not (v is None and k in _OPTIONAL)}
    prefs = out.get("preferences")
    if isinstance(prefs, Mapping):
        out["preferences"] = {k: v for k, v in prefs.items() if v is not None}
    return out


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _unknown_ids(field: str, given: tuple[str, ...], valid: list[str]) -> list[FieldError]:
    known = set(valid)
    kind = field.rstrip("s")
    return [
        FieldError(f"{field}[{index}]", f"unknown {kind} id", tuple(valid))
        for index, item in enumerate(given)
        if item not in known
    ]


def _translate(kb: KnowledgeBase, exc: ValidationError) -> list[FieldError]:
    out: dict[str, FieldError] = {}
    for error in exc.errors():
        loc = error["loc"]
        field = _field_name(loc)
        top = str(loc[0]) if loc else "intake"
        if error["type"] == "extra_forbidden":
            parent = _PREFERENCE_FIELDS if top == "preferences" and len(loc) > 1 else _FIELDS
            out[field] = FieldError(field, "unknown field", parent)
        elif error["type"] == "missing":
            hint = _HINTS.get(field, ("", ()))[0]
            message = f"required: {hint}" if hint else "required"
            out[field] = FieldError(field, message, _valid_for(kb, field))
        elif top in ("concerns", "conditions"):
            key = top if len(loc) == 1 else field
            out[key] = FieldError(key, _list_message(top, error["type"]), _valid_for(kb, top))
        else:
            message, valid = _HINTS.get(field, ("invalid value", ()))
            out.setdefault(field, FieldError(field, message, valid))
    return list(out.values())


def _field_name(loc: tuple[int | str, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "intake"


def _list_message(top: str, error_type: str) -> str:
    kind = top.rstrip("s")
    if error_type == "too_short":
        return f"give at least one {kind} id"
    if error_type in ("tuple_type", "list_type"):
        return f"a list of {kind} ids"
    return f"each item must be a {kind} id (text)"


def _valid_for(kb: KnowledgeBase, field: str) -> tuple[str, ...]:
    if field == "concerns":
        return tuple(sorted(kb.concerns))
    if field == "conditions":
        return tuple(sorted(kb.conditions))
    return _HINTS.get(field, ("", ()))[1]


__all__ = ["FieldError", "Intake", "IntakeError", "Preferences", "parse_intake"]

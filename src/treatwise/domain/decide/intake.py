"""The intake: what a person tells the decision aid, validated strictly.

``parse_intake(kb, data)`` turns decoded JSON (or a dict built from a form) into
an :class:`Intake`, or raises :class:`IntakeError` listing every problem. Each
problem names the field (``preferences.max_downtime_days``, ``concerns[1]``) and
the valid values. Messages never repeat the submitted value: the intake is
health data, and error text may end up in a terminal or a log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError

from treatwise.domain.field_error import FieldError
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
    """A validated intake (docs/design.md, "Intake"). Ids are checked against the knowledge base."""

    age: StrictInt = Field(ge=0, le=MAX_AGE)
    sex: Sex | None = None
    fitzpatrick: StrictInt | None = Field(default=None, ge=1, le=6)
    concerns: tuple[str, ...] = Field(min_length=1)
    conditions: tuple[str, ...] = ()
    setting: Setting = "medical"
    preferences: Preferences = Preferences()
    unsure: tuple[str, ...] = Field(
        default=(),
        description="Condition ids the person is not sure about (or did not answer): "
        "treated as possibly present",
    )
    considering: str | None = Field(
        default=None, description="The treatment id the person came asking about"
    )


class IntakeError(ValueError):
    """The intake is invalid; ``errors`` lists every problem (field, message, valid values)."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


_FIELDS = tuple(Intake.model_fields)
_PREFERENCE_FIELDS = tuple(Preferences.model_fields)
_BOOL = ("true", "false")

# What each field accepts, in words, and its valid values (used when a value has the wrong
# type or range). Every message ends with "valid values: ...", ranges included.
_HINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "age": (f"a whole number of years from 0 to {MAX_AGE}", (f"0 to {MAX_AGE}",)),
    "sex": ("must be one of the listed values (or left out)", SEXES),
    "fitzpatrick": ("a whole number from 1 to 6 (or left out)", ("1", "2", "3", "4", "5", "6")),
    "setting": ("must be one of the listed values", SETTINGS),
    "preferences": ("an object with the listed fields", _PREFERENCE_FIELDS),
    "considering": ("a treatment id (or left out)", ()),
    "preferences.max_downtime_days": (
        f"a whole number of days from 0 to {MAX_DOWNTIME_DAYS} (or left out)",
        (f"0 to {MAX_DOWNTIME_DAYS}",),
    ),
    "preferences.avoid_needles": ("true or false", _BOOL),
    "preferences.avoid_injections": ("true or false", _BOOL),
    "preferences.budget_per_session_usd": (
        f"a number of US dollars from 0 to {MAX_BUDGET_USD} (or left out)",
        (f"0 to {MAX_BUDGET_USD}",),
    ),
    "preferences.max_sessions": (
        f"a whole number from 1 to {MAX_SESSIONS} (or left out)",
        (f"1 to {MAX_SESSIONS}",),
    ),
}


def parse_intake(kb: KnowledgeBase, data: Any) -> Intake:
    """Validate decoded JSON against the contract and the knowledge base's ids.

    Every problem is reported at once: unknown fields, unknown or repeated ids, and
    wrong types or ranges. A concern or condition listed twice is an error (the
    person may have meant another one), not silently merged.
    """
    if not isinstance(data, Mapping):
        raise IntakeError(
            [FieldError("intake", "expected a JSON object with the listed fields", _FIELDS)]
        )
    found: dict[str, FieldError] = {}
    for error in (*_unknown_fields(data), *_id_errors(kb, data)):
        found.setdefault(error.field, error)
    try:
        intake: Intake | None = Intake.model_validate(_cleaned(data))
    except ValidationError as exc:
        intake = None
        for error in _translate(kb, exc):
            found.setdefault(error.field, error)
    if found or intake is None:
        raise IntakeError(list(found.values()))
    return intake.model_copy(
        update={
            "conditions": tuple(sorted(intake.conditions)),
            "unsure": tuple(sorted(intake.unsure)),
        }
    )


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _RepeatedKey(key)
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def decode_intake(raw: str | bytes, *, field: str = "intake") -> Any:
    """Decode intake JSON strictly, or raise :class:`IntakeError` (never another exception).

    A key given twice in one object is refused (which value was meant?), as are
    ``NaN``/``Infinity`` (not JSON) and nesting too deep to decode. ``field``
    names the input in syntax errors (``body`` for the API, ``--intake`` for the CLI).
    """
    hint = "send the intake as one JSON object (UTF-8)"
    try:
        return json.loads(raw, object_pairs_hook=_object, parse_constant=_no_constant)
    except _RepeatedKey as exc:
        key = exc.key
        if key in _FIELDS or key not in _PREFERENCE_FIELDS:
            name, valid = _safe_key(key), _FIELDS
        else:
            name, valid = f"preferences.{key}", _PREFERENCE_FIELDS
        error = FieldError(name, "given more than once: give each field once", valid)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        error = FieldError(field, f"not valid JSON ({exc.msg} at {where}): {hint}")
    except (ValueError, RecursionError):  # bad UTF-8, NaN/Infinity, nested too deeply
        error = FieldError(field, f"not valid JSON: {hint}, without NaN or Infinity")
    raise IntakeError([error])


_OPTIONAL = frozenset(
    {"sex", "fitzpatrick", "conditions", "setting", "preferences", "unsure", "considering"}
)
_ID_LISTS = {"concerns": "concern", "conditions": "condition", "unsure": "condition"}
_REQUIRED = frozenset({"age", "concerns"})
_KEY_CHARS = 40


def _cleaned(data: Mapping[Any, Any]) -> dict[Any, Any]:
    """Known fields only; ``null`` for an optional field means "not given"."""
    out = {k: v for k, v in data.items() if k in _FIELDS and not (v is None and k in _OPTIONAL)}
    prefs = out.get("preferences")
    if isinstance(prefs, Mapping):
        out["preferences"] = {
            k: v for k, v in prefs.items() if k in _PREFERENCE_FIELDS and v is not None
        }
    return out


def _safe_key(key: Any) -> str:
    """A submitted field name, printable in a message (no lone surrogates, bounded length)."""
    text = key if isinstance(key, str) else repr(key)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= _KEY_CHARS else text[: _KEY_CHARS - 1] + "…"


def _unknown_fields(data: Mapping[Any, Any]) -> list[FieldError]:
    errors = [
        FieldError(_safe_key(key), "unknown field", _FIELDS) for key in data if key not in _FIELDS
    ]
    prefs = data.get("preferences")
    if isinstance(prefs, Mapping):
        errors += [
            FieldError(f"preferences.{_safe_key(key)}", "unknown field", _PREFERENCE_FIELDS)
            for key in prefs
            if key not in _PREFERENCE_FIELDS
        ]
    return errors


def _id_errors(kb: KnowledgeBase, data: Mapping[Any, Any]) -> list[FieldError]:
    """Unknown and repeated ids in the id lists (text items only), and ``considering``.

    A condition in both ``conditions`` and ``unsure`` is an error on ``unsure``: the
    person answered the question both "yes" and "not sure".
    """
    errors: list[FieldError] = []
    stated = data.get("conditions")
    stated_ids = {c for c in stated if isinstance(c, str)} if isinstance(stated, list) else set()
    for field, kind in _ID_LISTS.items():
        known = kb.concerns if kind == "concern" else kb.conditions
        given = data.get(field)
        if not isinstance(given, list | tuple):
            continue
        valid = tuple(sorted(known))
        seen: set[str] = set()
        for index, item in enumerate(given):
            if not isinstance(item, str):
                continue
            if item not in known:
                errors.append(FieldError(f"{field}[{index}]", f"unknown {kind} id", valid))
            elif item in seen:
                message = f"listed more than once: give each {kind} once"
                errors.append(FieldError(f"{field}[{index}]", message, valid))
            elif field == "unsure" and item in stated_ids:
                message = "also listed in conditions: a condition is either stated or not sure"
                errors.append(FieldError(f"{field}[{index}]", message, valid))
            seen.add(item)
    considering = data.get("considering")
    if isinstance(considering, str) and considering not in kb.treatments:
        errors.append(
            FieldError("considering", "unknown treatment id", tuple(sorted(kb.treatments)))
        )
    return errors


def _translate(kb: KnowledgeBase, exc: ValidationError) -> list[FieldError]:
    out: dict[str, FieldError] = {}
    errors = exc.errors()
    bad_items = {str(e["loc"][0]) for e in errors if len(e["loc"]) > 1}
    for error in errors:
        loc = error["loc"]
        field = _field_name(loc)
        top = str(loc[0]) if loc else "intake"
        if error["type"] == "extra_forbidden":
            parent = _PREFERENCE_FIELDS if top == "preferences" and len(loc) > 1 else _FIELDS
            out[field] = FieldError(_safe_key(field), "unknown field", parent)
        elif error["type"] == "missing" or (field in _REQUIRED and error.get("input") is None):
            hint = _HINTS.get(field, ("", ()))[0]
            message = f"required: {hint}" if hint else "required"
            out[field] = FieldError(field, message, _valid_for(kb, field))
        elif top in _ID_LISTS:
            if error["type"] == "too_short" and top in bad_items:
                continue  # the invalid items were dropped; their own errors say why
            key = top if len(loc) == 1 else field
            out[key] = FieldError(key, _list_message(top, error["type"]), _valid_for(kb, top))
        else:
            message, valid = _HINTS.get(field, ("invalid value", _FIELDS))
            valid = _valid_for(kb, field) if field == "considering" else valid
            out.setdefault(field, FieldError(field, message, valid))
    return list(out.values())


def _field_name(loc: tuple[int | str, ...]) -> str:
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "intake"


def _list_message(top: str, error_type: str) -> str:
    kind = _ID_LISTS[top]
    if error_type == "too_short":
        return f"give at least one {kind} id"
    if error_type in ("tuple_type", "list_type"):
        return f"a list of {kind} ids"
    return f"each item must be a {kind} id (text)"


def _valid_for(kb: KnowledgeBase, field: str) -> tuple[str, ...]:
    if field == "concerns":
        return tuple(sorted(kb.concerns))
    if field in ("conditions", "unsure"):
        return tuple(sorted(kb.conditions))
    if field == "considering":
        return tuple(sorted(kb.treatments))
    return _HINTS.get(field, ("", ()))[1]


__all__ = [
    "FieldError",
    "Intake",
    "IntakeError",
    "Preferences",
    "decode_intake",
    "parse_intake",
]

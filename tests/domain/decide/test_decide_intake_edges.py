"""Reviewer's edge cases for the intake: every bad value is an IntakeError naming the field
and ending with its valid values; decoding refuses what JSON decoders quietly accept."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatwise.domain.decide import IntakeError, decode_intake, parse_intake
from treatwise.knowledge import KnowledgeBase

BASE: dict[str, Any] = {"age": 34, "concerns": ["acne-scars"]}


def errors_for(kb: KnowledgeBase, data: Any) -> dict[str, str]:
    with pytest.raises(IntakeError) as excinfo:
        parse_intake(kb, data)
    return {error.field: str(error) for error in excinfo.value.errors}


def with_prefs(**prefs: Any) -> dict[str, Any]:
    return {**BASE, "preferences": prefs}


BAD: list[tuple[dict[str, Any], str]] = [
    ({**BASE, "age": 34.0}, "age"),
    ({**BASE, "age": 17.5}, "age"),
    ({**BASE, "age": False}, "age"),
    ({**BASE, "age": "34"}, "age"),
    ({**BASE, "age": [34]}, "age"),
    ({**BASE, "age": 10**30}, "age"),
    ({**BASE, "age": float("nan")}, "age"),
    ({**BASE, "fitzpatrick": 0}, "fitzpatrick"),
    ({**BASE, "fitzpatrick": 7}, "fitzpatrick"),
    ({**BASE, "fitzpatrick": 3.0}, "fitzpatrick"),
    ({**BASE, "fitzpatrick": True}, "fitzpatrick"),
    ({**BASE, "fitzpatrick": "3"}, "fitzpatrick"),
    ({**BASE, "sex": "Female"}, "sex"),
    ({**BASE, "sex": True}, "sex"),
    ({**BASE, "setting": "Medical"}, "setting"),
    ({**BASE, "setting": ["medical"]}, "setting"),
    ({**BASE, "concerns": ["Acne-Scars"]}, "concerns[0]"),
    ({**BASE, "concerns": [""]}, "concerns[0]"),
    ({**BASE, "concerns": [None]}, "concerns[0]"),
    ({**BASE, "concerns": [["acne-scars"]]}, "concerns[0]"),
    ({**BASE, "concerns": "acne-scars"}, "concerns"),
    ({**BASE, "concerns": {"acne-scars": True}}, "concerns"),
    ({**BASE, "concerns": None}, "concerns"),
    ({**BASE, "conditions": "pregnant"}, "conditions"),
    ({**BASE, "conditions": [1]}, "conditions[0]"),
    ({**BASE, "conditions": ["pregnant", "Pregnant"]}, "conditions[1]"),
    ({**BASE, "conditions": ["pregnant", "pregnant"]}, "conditions[1]"),
    ({**BASE, "concerns": ["acne-scars", "scars", "acne-scars"]}, "concerns[2]"),
    ({**BASE, "preferences": None, "Age": 3}, "Age"),
    ({**BASE, "preferences": "none"}, "preferences"),
    ({**BASE, "preferences": [1]}, "preferences"),
    (with_prefs(avoid_needles=1), "preferences.avoid_needles"),
    (with_prefs(avoid_needles="false"), "preferences.avoid_needles"),
    (with_prefs(avoid_injections=0), "preferences.avoid_injections"),
    (with_prefs(max_downtime_days=-1), "preferences.max_downtime_days"),
    (with_prefs(max_downtime_days=366), "preferences.max_downtime_days"),
    (with_prefs(max_downtime_days=2.5), "preferences.max_downtime_days"),
    (with_prefs(max_downtime_days="3"), "preferences.max_downtime_days"),
    (with_prefs(max_downtime_days=True), "preferences.max_downtime_days"),
    (with_prefs(max_sessions=0), "preferences.max_sessions"),
    (with_prefs(max_sessions=101), "preferences.max_sessions"),
    (with_prefs(max_sessions=6.0), "preferences.max_sessions"),
    (with_prefs(max_sessions=True), "preferences.max_sessions"),
    (with_prefs(budget_per_session_usd=-0.01), "preferences.budget_per_session_usd"),
    (with_prefs(budget_per_session_usd=1e9), "preferences.budget_per_session_usd"),
    (with_prefs(budget_per_session_usd="300"), "preferences.budget_per_session_usd"),
    (with_prefs(budget_per_session_usd=True), "preferences.budget_per_session_usd"),
    (with_prefs(budget_per_session_usd=float("inf")), "preferences.budget_per_session_usd"),
    (with_prefs(budget_per_session_usd=float("nan")), "preferences.budget_per_session_usd"),
    (with_prefs(maxSessions=3), "preferences.maxSessions"),
    (with_prefs(avoid_lasers=True), "preferences.avoid_lasers"),
    ({**BASE, "budget_per_session_usd": 300}, "budget_per_session_usd"),
]


@pytest.mark.parametrize(("data", "field"), BAD)
def test_each_bad_value_names_its_field_and_the_valid_values(
    kb: KnowledgeBase, data: dict[str, Any], field: str
) -> None:
    found = errors_for(kb, data)
    assert field in found, found
    assert found[field].startswith(f"{field}: ")
    assert "valid values: " in found[field], found[field]


def test_a_bad_item_does_not_also_claim_the_list_is_empty(kb: KnowledgeBase) -> None:
    found = errors_for(kb, {**BASE, "concerns": [1]})
    assert set(found) == {"concerns[0]"}


def test_null_for_a_required_field_says_required(kb: KnowledgeBase) -> None:
    found = errors_for(kb, {"age": None, "concerns": None})
    assert "required" in found["age"] and "required" in found["concerns"]


def test_unknown_ids_are_reported_together_with_type_errors(kb: KnowledgeBase) -> None:
    found = errors_for(kb, {"age": "x", "concerns": ["nope"], "conditions": ["flu"]})
    assert {"age", "concerns[0]", "conditions[0]"} <= set(found)


def test_unknown_field_names_are_printable_and_bounded(kb: KnowledgeBase) -> None:
    found = errors_for(kb, {**BASE, "\ud800" + "x" * 500: 1})
    [(field, message)] = found.items()
    assert len(field) <= 40
    message.encode("utf-8")  # no lone surrogate survives into the message


def test_ages_at_the_edges_are_accepted(kb: KnowledgeBase) -> None:
    assert parse_intake(kb, {**BASE, "age": 0}).age == 0
    assert parse_intake(kb, {**BASE, "age": 120}).age == 120
    budget = with_prefs(budget_per_session_usd=0, max_downtime_days=0, max_sessions=1)
    assert parse_intake(kb, budget).preferences.budget_per_session_usd == 0


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"age": 34, "age": 35, "concerns": ["stretch-marks"]}', "age"),
        (
            '{"age": 34, "concerns": ["stretch-marks"],'
            ' "preferences": {"max_sessions": 1, "max_sessions": 9}}',
            "preferences.max_sessions",
        ),
        (
            '{"age": 34, "concerns": ["stretch-marks"], "preferences": {"avoid_needles": NaN}}',
            "body",
        ),
        ('{"age": Infinity, "concerns": ["stretch-marks"]}', "body"),
        ("[" * 100_000 + "]" * 100_000, "body"),
        ('{"age": 34, "concerns": ["stretch-marks"]', "body"),
        (b'{"age": 34, "concerns": ["\xff"]}', "body"),
        ("", "body"),
    ],
)
def test_decoding_refuses_repeated_keys_constants_and_deep_nesting(
    raw: str | bytes, field: str
) -> None:
    with pytest.raises(IntakeError) as excinfo:
        decode_intake(raw, field="body")
    [error] = excinfo.value.errors
    assert error.field == field
    assert "stretch" not in error.message  # never echoes what was sent


def test_decoding_a_good_intake(kb: KnowledgeBase) -> None:
    data = decode_intake('{"age": 34, "concerns": ["scars"], "preferences": {}}')
    assert parse_intake(kb, data).concerns == ("scars",)


# Any JSON value in any field: an Intake, or an IntakeError whose every message names a
# field and ends with its valid values. Never another exception.
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_CONCERN = st.sampled_from(["acne-scars", "hair-loss", "melasma", "nope", ""])
_CONDITION = st.sampled_from(["pregnant", "pacemaker", "hair-loss-diagnosed", "flu"])


def _field(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(good, _json)


fuzzed = st.fixed_dictionaries(
    {},
    optional={
        "age": _field(st.integers(-5, 130)),
        "sex": _field(st.sampled_from(["female", "male", "other", "x"])),
        "fitzpatrick": _field(st.integers(-1, 8)),
        "concerns": _field(st.lists(_CONCERN, max_size=4)),
        "conditions": _field(st.lists(_CONDITION, max_size=4)),
        "setting": _field(st.sampled_from(["medical", "salon", "home", "spa"])),
        "preferences": _field(
            st.fixed_dictionaries(
                {},
                optional={
                    "max_downtime_days": _field(st.integers(-2, 400)),
                    "avoid_needles": _json,
                    "budget_per_session_usd": _field(st.floats()),
                    "max_sessions": _field(st.integers(-1, 120)),
                    "colour": _json,
                },
            )
        ),
        "weight": _json,
    },
)


@given(fuzzed)
def test_any_json_is_an_intake_or_field_errors(kb: KnowledgeBase, data: dict[str, Any]) -> None:
    try:
        parse_intake(kb, data)
    except IntakeError as exc:
        assert exc.errors
        for error in exc.errors:
            assert error.field and str(error).startswith(f"{error.field}: ")
            assert error.valid and "valid values: " in str(error), str(error)

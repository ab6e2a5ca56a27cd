"""Intake validation: strict types, the KB's ids, messages that name the field and valid values."""

from __future__ import annotations

from typing import Any

import pytest
from support.intake import EXAMPLE_INTAKE as VALID

from treatwise.domain.decide import IntakeError, parse_intake
from treatwise.knowledge import KnowledgeBase


def errors_for(kb: KnowledgeBase, data: Any) -> dict[str, str]:
    with pytest.raises(IntakeError) as excinfo:
        parse_intake(kb, data)
    return {error.field: str(error) for error in excinfo.value.errors}


def test_the_design_example_is_valid(kb: KnowledgeBase) -> None:
    intake = parse_intake(kb, VALID)
    assert intake.concerns == ("acne-scars", "enlarged-pores")
    assert intake.preferences.budget_per_session_usd == 300


def test_only_age_and_a_concern_are_required(kb: KnowledgeBase) -> None:
    intake = parse_intake(kb, {"age": 50, "concerns": ["fine-lines"]})
    assert intake.setting == "medical"
    assert intake.conditions == ()
    assert intake.sex is None and intake.fitzpatrick is None
    assert not intake.preferences.avoid_needles


def test_null_means_not_given_for_optional_fields(kb: KnowledgeBase) -> None:
    data = {
        "age": 50,
        "concerns": ["fine-lines"],
        "sex": None,
        "fitzpatrick": None,
        "conditions": None,
        "setting": None,
        "preferences": {"max_sessions": None, "avoid_needles": None},
    }
    intake = parse_intake(kb, data)
    assert intake.setting == "medical" and intake.conditions == ()
    assert intake.preferences.max_sessions is None and intake.preferences.avoid_needles is False
    assert "concerns" in errors_for(kb, {"age": 50, "concerns": None})


def test_conditions_are_sorted_and_concerns_keep_their_order(kb: KnowledgeBase) -> None:
    data = {"age": 40, "concerns": ["scars", "acne-scars"], "conditions": ["pregnant", "pacemaker"]}
    intake = parse_intake(kb, data)
    assert intake.concerns == ("scars", "acne-scars")
    assert intake.conditions == ("pacemaker", "pregnant")


@pytest.mark.parametrize("field", ["concerns", "conditions"])
def test_an_id_listed_twice_is_refused(kb: KnowledgeBase, field: str) -> None:
    ids = {"concerns": ["scars", "fine-lines", "scars"], "conditions": ["pacemaker"] * 2}
    found = errors_for(kb, {"age": 40, "concerns": ["scars"], field: ids[field]})
    index = len(ids[field]) - 1
    message = found[f"{field}[{index}]"]
    assert "more than once" in message and "valid values:" in message
    assert set(found) == {f"{field}[{index}]"}


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"age": None}, "age", "whole number of years"),
        ({"age": "34"}, "age", "whole number of years"),
        ({"age": 34.5}, "age", "whole number of years"),
        ({"age": True}, "age", "whole number of years"),
        ({"age": -1}, "age", "from 0 to 120"),
        ({"age": 121}, "age", "from 0 to 120"),
        ({"sex": "f"}, "sex", "valid values: female, male, other"),
        ({"fitzpatrick": 7}, "fitzpatrick", "valid values: 1, 2, 3, 4, 5, 6"),
        ({"fitzpatrick": "IV"}, "fitzpatrick", "1 to 6"),
        ({"setting": "clinic"}, "setting", "valid values: medical, salon, home"),
        ({"concerns": []}, "concerns", "at least one"),
        ({"concerns": "acne-scars"}, "concerns", "list of concern ids"),
        ({"conditions": [3]}, "conditions[0]", "condition id"),
        ({"preferences": {"avoid_needles": "yes"}}, "preferences.avoid_needles", "true, false"),
        ({"preferences": {"max_sessions": 0}}, "preferences.max_sessions", "from 1 to 100"),
        (
            {"preferences": {"budget_per_session_usd": -5}},
            "preferences.budget_per_session_usd",
            "US dollars",
        ),
        ({"preferences": []}, "preferences", "max_downtime_days"),
    ],
)
def test_a_bad_value_names_the_field_and_what_is_valid(
    kb: KnowledgeBase, change: dict[str, Any], field: str, expected: str
) -> None:
    found = errors_for(kb, {**VALID, **change})
    assert field in found, found
    assert found[field].startswith(f"{field}: ")
    assert expected in found[field]


def test_missing_fields_are_listed(kb: KnowledgeBase) -> None:
    found = errors_for(kb, {})
    assert set(found) == {"age", "concerns"}
    assert "acne-scars" in found["concerns"] and "required" in found["concerns"]


def test_unknown_concern_lists_the_knowledge_base_ids(kb: KnowledgeBase) -> None:
    found = errors_for(kb, {**VALID, "concerns": ["acne-scars", "wrinkly-elbows"]})
    message = found["concerns[1]"]
    assert "unknown concern id" in message
    assert all(concern in message for concern in kb.concerns)


def test_unknown_condition_lists_the_knowledge_base_ids(kb: KnowledgeBase) -> None:
    found = errors_for(kb, {**VALID, "conditions": ["flu"]})
    assert all(condition in found["conditions[0]"] for condition in kb.conditions)


def test_unknown_fields_are_refused_with_the_valid_fields(kb: KnowledgeBase) -> None:
    found = errors_for(kb, {**VALID, "weight": 70, "preferences": {"colour": "red"}})
    assert "unknown field" in found["weight"] and "concerns" in found["weight"]
    assert "max_sessions" in found["preferences.colour"]


def test_not_an_object(kb: KnowledgeBase) -> None:
    assert "JSON object" in errors_for(kb, ["age", 34])["intake"]


def test_every_problem_is_reported_at_once(kb: KnowledgeBase) -> None:
    found = errors_for(kb, {"age": "old", "sex": "x", "concerns": [], "setting": "spa"})
    assert {"age", "sex", "concerns", "setting"} <= set(found)


def test_messages_never_repeat_the_submitted_value(kb: KnowledgeBase) -> None:
    secret = "zz-private-value-81723"
    data = {
        "age": secret,
        "sex": secret,
        "concerns": [secret],
        "conditions": [secret],
        "setting": secret,
        "preferences": {"max_sessions": secret},
    }
    with pytest.raises(IntakeError) as excinfo:
        parse_intake(kb, data)
    assert secret not in str(excinfo.value)
    assert all(secret not in str(error) for error in excinfo.value.errors)

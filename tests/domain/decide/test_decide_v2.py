"""Contract v2 of the decision aid: ``unsure``, ``considering``, ``next_step``,
``best_by_concern``, ``considered`` and the ``unsure`` reason kind.

Properties run over generated intakes drawn from the packaged knowledge base's
ids; the examples pin the wording a reader sees (no internal ids).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.domain.decide.test_decide_properties import intakes
from treatwise.domain.decide import (
    NEXT_STEPS,
    Assessment,
    IntakeError,
    asks,
    assess,
    parse_intake,
    questions,
)
from treatwise.domain.decide.assess import REASON_ORDER
from treatwise.domain.decide.screening import REASON_KINDS, STRICTNESS
from treatwise.knowledge import load
from treatwise.knowledge.schema import AskIf, Condition

KB = load()
CONDITIONS = sorted(KB.conditions)
SUPPORTED = {"high", "moderate", "low"}


@st.composite
def v2_intakes(draw: st.DrawFn) -> dict[str, Any]:
    """A v1 intake plus ``unsure`` (disjoint from ``conditions``) and maybe ``considering``."""
    data: dict[str, Any] = draw(intakes)
    stated = set(data.get("conditions", []))
    free = [c for c in CONDITIONS if c not in stated]
    unsure = draw(st.lists(st.sampled_from(free), max_size=3, unique=True))
    if unsure:
        data["unsure"] = unsure
    if draw(st.booleans()):
        data["considering"] = draw(st.sampled_from(sorted(KB.treatments)))
    return data


def run(data: dict[str, Any]) -> Assessment:
    return assess(KB, parse_intake(KB, data))


@given(v2_intakes())
def test_next_step_follows_the_red_flags(data: dict[str, Any]) -> None:
    result = run(data)
    actions = {flag.action for flag in result.red_flags}
    if "see_doctor" in actions:
        assert result.next_step == "see_doctor"
    elif "wait" in actions:
        assert result.next_step == "wait"
    elif result.best is not None:
        assert result.next_step == "choose"
    else:
        assert result.next_step == "no_supported_option"
    assert result.see_doctor_first == (result.next_step == "see_doctor")


@given(v2_intakes())
def test_best_by_concern_names_only_supported_open_options(data: dict[str, Any]) -> None:
    result = run(data)
    assert list(result.best_by_concern) == list(data["concerns"])
    options = {o.treatment: o for o in result.options}
    for concern, pick in result.best_by_concern.items():
        candidates = [
            o.treatment
            for o in result.options
            if o.status not in ("wait", "not_suitable")
            and {c.concern: c.evidence for c in o.concerns}[concern] in SUPPORTED
        ]
        if pick is None:
            assert candidates == []
            continue
        assert pick in candidates
        option = options[pick]
        assert option.status not in ("wait", "not_suitable")
        assert {c.concern: c.evidence for c in option.concerns}[concern] in SUPPORTED
        # the safest group with a candidate wins
        group = {"suitable": 0, "caution": 0, "doctor_review": 1}
        assert group[option.status] == min(group[options[c].status] for c in candidates)
    if result.best is not None:
        assert result.best in result.best_by_concern.values() or len(data["concerns"]) > 1


@given(v2_intakes(), st.sampled_from(CONDITIONS))
def test_an_unsure_condition_never_leaves_a_restricted_treatment_suitable(
    data: dict[str, Any], condition: str
) -> None:
    stated = [c for c in data.get("conditions", []) if c != condition]
    unsure = [c for c in data.get("unsure", []) if c != condition]
    without = run({**data, "conditions": stated, "unsure": unsure})
    present = run({**data, "conditions": [*stated, condition], "unsure": unsure})
    not_sure = run({**data, "conditions": stated, "unsure": [*unsure, condition]})
    before = {o.treatment: o.status for o in without.options}
    if_yes = {o.treatment: o.status for o in present.options}
    for option in not_sure.options:
        # never less strict than not mentioning the condition at all
        assert STRICTNESS[option.status] >= STRICTNESS[before[option.treatment]]
        if STRICTNESS[if_yes[option.treatment]] > STRICTNESS[before[option.treatment]]:
            assert option.status not in ("suitable", "caution"), option.treatment
            unsure_reasons = [r for r in option.reasons if r.kind == "unsure"]
            assert unsure_reasons, option.treatment
            question = KB.conditions[condition].question.strip()
            assert any(question in r.text for r in unsure_reasons)


@given(v2_intakes())
def test_considered_says_where_the_treatment_stands(data: dict[str, Any]) -> None:
    result = run(data)
    if "considering" not in data:
        assert result.considered is None
        return
    considered = result.considered
    assert considered is not None
    option = next(o for o in result.options if o.treatment == data["considering"])
    assert (considered.treatment, considered.rank, considered.status) == (
        option.treatment,
        option.rank,
        option.status,
    )
    assert KB.treatments[option.treatment].name in considered.text
    assert not re.search(r"\b(R\d\d|s\d{2,3}|x-[a-z])", considered.text), considered.text


@given(v2_intakes())
def test_v2_output_is_deterministic_and_cited(data: dict[str, Any]) -> None:
    result = run(data)
    assert run(data).model_dump_json() == result.model_dump_json()
    assert result.next_step in NEXT_STEPS
    for option in result.options:
        for reason in option.reasons:
            if reason.kind == "unsure":
                assert reason.references and set(reason.references) <= set(KB.references)


def test_every_reason_kind_has_a_place_in_the_order() -> None:
    assert sorted(REASON_ORDER) == sorted(REASON_KINDS)


# --- intake v2 -------------------------------------------------------------------------


def _errors(data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(IntakeError) as info:
        parse_intake(KB, data)
    return {e.field: e for e in info.value.errors}


def test_unsure_and_considering_are_parsed_and_sorted() -> None:
    intake = parse_intake(
        KB,
        {
            "age": 30,
            "concerns": ["acne-scars"],
            "unsure": ["pregnant", "anticoagulants"],
            "considering": "microneedling",
        },
    )
    assert intake.unsure == ("anticoagulants", "pregnant")
    assert intake.considering == "microneedling"
    empty = parse_intake(KB, {"age": 30, "concerns": ["acne-scars"], "unsure": None})
    assert empty.unsure == () and empty.considering is None


@pytest.mark.parametrize(
    ("data", "field", "valid"),
    [
        ({"unsure": ["nope"]}, "unsure[0]", "pregnant"),
        ({"unsure": ["pregnant", "pregnant"]}, "unsure[1]", "pregnant"),
        ({"unsure": "pregnant"}, "unsure", "pregnant"),
        ({"unsure": [3]}, "unsure[0]", "pregnant"),
        ({"conditions": ["pregnant"], "unsure": ["pregnant"]}, "unsure[0]", "pregnant"),
        ({"considering": "botox"}, "considering", "microneedling"),
        ({"considering": 3}, "considering", "microneedling"),
        ({"considering": ["microneedling"]}, "considering", "microneedling"),
    ],
)
def test_bad_v2_fields_name_the_field_and_the_valid_values(
    data: dict[str, Any], field: str, valid: str
) -> None:
    errors = _errors({"age": 30, "concerns": ["acne-scars"], **data})
    assert field in errors, errors
    assert valid in errors[field].valid
    text = str(errors[field])
    assert "botox" not in text  # the submitted value is never echoed


# --- which questions are asked ---------------------------------------------------------


def _condition(**ask_if: Any) -> Condition:
    return Condition(
        id="test-condition",
        name="Test",
        description="A test condition.",
        question="Is this a test?",
        ask_if=AskIf(**ask_if),
    )


@pytest.mark.parametrize(
    ("ask_if", "sex", "concerns", "asked"),
    [
        ({}, "male", ["acne-scars"], True),
        ({"sex": ("female", "other")}, "male", ["acne-scars"], False),
        ({"sex": ("female", "other")}, "female", ["acne-scars"], True),
        ({"sex": ("female", "other")}, None, ["acne-scars"], True),
        ({"concerns_any": ("hair-loss",)}, "female", ["acne-scars"], False),
        ({"concerns_any": ("hair-loss",)}, "female", ["acne-scars", "hair-loss"], True),
        ({"sex": ("female",), "concerns_any": ("hair-loss",)}, "male", ["hair-loss"], False),
    ],
)
def test_ask_if(ask_if: dict[str, Any], sex: str | None, concerns: list[str], asked: bool) -> None:
    assert asks(_condition(**ask_if), sex=sex, concerns=concerns) is asked


def test_the_v2_questions_follow_ask_if_in_the_packaged_data() -> None:
    men = {c.id for c in questions(KB, sex="male", concerns=["acne-scars"])}
    assert "trying-to-conceive" not in men
    assert "trouble-swallowing" not in men
    chin = {c.id for c in questions(KB, sex="female", concerns=["double-chin"])}
    assert {"trying-to-conceive", "trouble-swallowing", "neck-surgery-history"} <= chin
    assert "cold-sensitivity" in chin
    everyone = {
        c.id for c in KB.conditions.values() if not c.ask_if.sex and not c.ask_if.concerns_any
    }
    assert everyone <= men

"""The Assessment contract (DESIGN "Assessment"): exact shape, ordering, disclaimer, rules data."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from support.intake import ASSESSMENT_KEYS
from support.intake import EXAMPLE_INTAKE as EXAMPLE

from treatwise.domain.decide import Assessment
from treatwise.domain.decide.screening import selects
from treatwise.knowledge import KnowledgeBase

Decide = Callable[[dict[str, Any]], Assessment]


def test_json_has_exactly_the_contract_fields(decide: Decide) -> None:
    data = json.loads(decide(EXAMPLE).model_dump_json())
    assert set(data) == ASSESSMENT_KEYS
    assert set(data["best_by_concern"]) == set(EXAMPLE["concerns"])
    considered = json.loads(decide({**EXAMPLE, "considering": "mesotherapy"}).model_dump_json())
    assert set(considered["considered"]) == {"treatment", "rank", "status", "text"}
    assert set(data["red_flags"][0]) == {"condition", "action", "text", "references"}
    option = data["options"][0]
    assert set(option) == {"treatment", "rank", "status", "fit", "concerns", "reasons"}
    assert set(option["concerns"][0]) == {"concern", "evidence"}
    assert all(
        set(r) == {"kind", "text", "references"} for o in data["options"] for r in o["reasons"]
    )


def test_concerns_follow_the_persons_order(decide: Decide) -> None:
    result = decide(EXAMPLE)
    for option in result.options:
        assert [c.concern for c in option.concerns] == ["acne-scars", "enlarged-pores"]


def test_the_disclaimer_comes_from_the_data(decide: Decide, kb: KnowledgeBase) -> None:
    assert decide(EXAMPLE).disclaimer == kb.rules.disclaimer
    assert "never replaces" in kb.rules.disclaimer


def test_output_is_byte_identical_across_calls(decide: Decide) -> None:
    first = decide(EXAMPLE).model_dump_json()
    assert all(decide(dict(EXAMPLE)).model_dump_json() == first for _ in range(5))


def test_reason_kinds_are_ordered_safety_first(decide: Decide) -> None:
    order = ["contraindication", "caution", "evidence", "preference", "note"]
    for option in decide(EXAMPLE).options:
        kinds = [order.index(r.kind) for r in option.reasons]
        assert kinds == sorted(kinds)


def test_combinations_are_unique_and_sorted(decide: Decide) -> None:
    result = decide(
        {
            "age": 40,
            "sex": "male",
            "concerns": ["hair-loss", "acne-scars"],
            "conditions": ["hair-loss-diagnosed"],
        }
    )
    pairs = [(c.treatments, c.text) for c in result.combinations]
    assert len(pairs) == len(set(pairs))
    assert all(list(c.treatments) == sorted(c.treatments) for c in result.combinations)
    assert ("microneedling", "topical-minoxidil") in {c.treatments for c in result.combinations}
    assert all(c.references for c in result.combinations)


def test_every_rule_r01_to_r32_is_in_the_data(kb: KnowledgeBase) -> None:
    in_rules = {rule.id[:3] for rule in kb.rules.rules}
    in_rows = {
        row.rule[:3]
        for treatment in kb.treatments.values()
        for row in treatment.contraindications
        if row.rule
    }
    missing = {f"R{n:02d}" for n in range(1, 33)} - in_rules - in_rows
    assert not missing, f"rules without data: {sorted(missing)}"


def test_rule_fit_factors_keep_the_needle_guarantee(kb: KnowledgeBase) -> None:
    # scoring.py's avoid_needles guarantee assumes the rule factors multiply to >= 0.8
    for treatment in kb.treatments.values():
        factors = [
            effect.fit_factor
            for rule in kb.rules.rules
            for effect in rule.effects
            if effect.fit_factor is not None and selects(effect.treatments, treatment)
        ]
        assert math.prod(factors) >= 0.8, treatment.id

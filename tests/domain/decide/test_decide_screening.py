"""Screening and scoring: triggers, selectors, caps, rows by setting, fit arithmetic."""

from __future__ import annotations

from typing import Any

import pytest

from treatwise.domain.decide import parse_intake, screen
from treatwise.domain.decide.scoring import evidence_score, score
from treatwise.domain.decide.screening import cap, fires, selects, stricter
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Modality, RuleTrigger, TreatmentSelector


def intake(kb: KnowledgeBase, **fields: Any) -> Any:
    return parse_intake(kb, {"age": 35, "concerns": ["acne-scars"], **fields})


def test_an_empty_trigger_always_fires(kb: KnowledgeBase) -> None:
    assert fires(RuleTrigger(), intake(kb))


@pytest.mark.parametrize(
    ("trigger", "fields", "expected"),
    [
        (RuleTrigger(age_below=18), {"age": 17}, True),
        (RuleTrigger(age_below=18), {"age": 18}, False),
        (RuleTrigger(fitzpatrick_at_least=4), {"fitzpatrick": 4}, True),
        (RuleTrigger(fitzpatrick_at_least=4), {"fitzpatrick": 3}, False),
        (RuleTrigger(fitzpatrick_at_least=4), {}, False),
        (RuleTrigger(settings=("salon", "home")), {}, False),
        (RuleTrigger(settings=("salon", "home")), {"setting": "home"}, True),
        (RuleTrigger(sex=("female",)), {}, False),
        (RuleTrigger(sex=("female",)), {"sex": "female"}, True),
        (RuleTrigger(conditions_none=("pregnant",)), {"conditions": ["pregnant"]}, False),
        (
            RuleTrigger(conditions_any=("pregnant", "breastfeeding")),
            {"conditions": ["breastfeeding"]},
            True,
        ),
        (RuleTrigger(avoid_needles=True), {"preferences": {"avoid_needles": True}}, True),
        (RuleTrigger(avoid_injections=True), {}, False),
        (RuleTrigger(concerns_any=("melasma",), age_below=30), {"concerns": ["melasma"]}, False),
    ],
)
def test_trigger_fields_are_anded(
    kb: KnowledgeBase, trigger: RuleTrigger, fields: dict[str, Any], expected: bool
) -> None:
    assert fires(trigger, intake(kb, **fields)) is expected


def test_selectors_pick_by_id_modality_or_all(kb: KnowledgeBase) -> None:
    mn, peel = kb.treatments["microneedling"], kb.treatments["chemical-peel"]
    assert selects(TreatmentSelector(all=True), peel)
    assert selects(TreatmentSelector(ids=("chemical-peel",)), peel)
    assert selects(TreatmentSelector(needles=True), mn)
    assert not selects(TreatmentSelector(needles=True), peel)
    assert selects(TreatmentSelector(needles=False), peel)
    assert selects(TreatmentSelector(home_use=False), peel)
    assert not selects(TreatmentSelector(), mn)


def test_caps_only_lower_the_evidence() -> None:
    assert cap("moderate", "very_low") == "very_low"
    assert cap("very_low", "moderate") == "very_low"
    assert cap("advised_against", "not_indicated") == "advised_against"
    assert cap("high", None) == "high"


def test_strictness_order() -> None:
    order = ["suitable", "caution", "doctor_review", "wait", "not_suitable"]
    for i, weaker in enumerate(order):
        for stronger in order[i:]:
            assert stricter(weaker, stronger) == stronger  # type: ignore[arg-type]


def test_a_row_applies_only_in_its_settings(kb: KnowledgeBase) -> None:
    mn = kb.treatments["microneedling"]
    medical = screen(kb, intake(kb, conditions=["isotretinoin-current"]), mn)
    salon = screen(kb, intake(kb, conditions=["isotretinoin-current"], setting="salon"), mn)
    assert medical.status == "doctor_review"
    assert salon.status == "not_suitable"
    assert [r.rule for r in salon.reasons if r.status == "not_suitable"] == ["R06"]


def test_rule_reasons_keep_their_rule_id_out_of_the_json(kb: KnowledgeBase) -> None:
    result = screen(kb, intake(kb, age=16), kb.treatments["microneedling"])
    reason = next(r for r in result.reasons if r.rule == "R19")
    assert reason.status == "not_suitable"
    assert set(reason.model_dump(mode="json")) == {"kind", "text", "references"}


def test_evidence_score_is_best_weighted() -> None:
    assert evidence_score(("high",)) == 1.0
    assert evidence_score(("moderate", "not_indicated")) == pytest.approx(0.8 * 0.75 + 0.2 * 0.375)
    assert evidence_score(("advised_against",)) == 0.0
    assert evidence_score(()) == 0.0


def test_preferences_lower_the_fit_with_a_reason(kb: KnowledgeBase) -> None:
    mn = kb.treatments["microneedling"]
    free = intake(kb)
    strict = intake(
        kb,
        preferences={
            "avoid_needles": True,
            "max_downtime_days": 0,
            "budget_per_session_usd": 10,
            "max_sessions": 1,
        },
    )
    base = score(free, mn, screen(kb, free, mn))
    low = score(strict, mn, screen(kb, strict, mn))
    assert base.reasons == () and base.value == 0.75
    assert low.value < base.value * 0.15
    assert len(low.reasons) == 4
    assert all(r.kind == "preference" and r.references for r in low.reasons)


def test_avoiding_injections_only_touches_injections(kb: KnowledgeBase) -> None:
    data = intake(kb, concerns=["melasma"], preferences={"avoid_injections": True})
    meso, mn = kb.treatments["mesotherapy"], kb.treatments["microneedling"]
    assert any("inject" in r.text for r in score(data, meso, screen(kb, data, meso)).reasons)
    assert score(data, mn, screen(kb, data, mn)).reasons == ()


def test_modality_flags_used_by_selectors_exist() -> None:
    fields = set(Modality.model_fields)
    assert {"needles", "injection", "blood_product", "energy", "home_use"} <= fields


def test_rule_red_flags_name_what_fired_them(kb: KnowledgeBase) -> None:
    from treatwise.domain.decide.screening import _trigger_label

    data = intake(kb, conditions=["pregnant"], setting="home")
    assert _trigger_label(RuleTrigger(conditions_any=("pregnant",)), data) == "pregnant"
    assert _trigger_label(RuleTrigger(concerns_any=("acne-scars",)), data) == "acne-scars"
    assert _trigger_label(RuleTrigger(age_below=18), data) == "age"
    assert _trigger_label(RuleTrigger(settings=("home",)), data) == "setting"
    assert _trigger_label(RuleTrigger(), data) == "intake"

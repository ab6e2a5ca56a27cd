"""The compiled tables say what the knowledge base says.

Screening reads the knowledge base through tables compiled once per version
(``domain/decide/compiled.py``, ``screening.tables``). Here a plain walk over
the knowledge base's own models, written from the screening module's rules,
is the oracle: for generated intakes, the compiled screening must give the
same status, evidence, fit factor and restricting reasons, in the same order.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.domain.decide.test_decide_properties import KB, intakes
from treatwise.domain.decide import compiled as compiled_module
from treatwise.domain.decide import parse_intake, screen
from treatwise.domain.decide.compiled import compiled
from treatwise.domain.decide.intake import Intake
from treatwise.domain.decide.screening import (
    LEVEL_STATUS,
    active_rules,
    cap,
    fires,
    selects,
    tables,
)
from treatwise.domain.decide.unsure import hypotheses, settle_unsure
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Rule, RuleEffect, RuleTrigger, Treatment, TreatmentSelector
from treatwise.knowledge.vocabulary import STRICTNESS, at_least, stricter, weaker

Restriction = tuple[str, str | None]


def plain_screen(
    intake: Intake, treatment: Treatment
) -> tuple[str, tuple[tuple[str, str], ...], float, list[Restriction]]:
    """Status, evidence, fit factor and non-evidence reasons, by walking the models."""
    said: list[Restriction] = [
        (row.text, LEVEL_STATUS[row.level])
        for row in treatment.contraindications
        if row.level != "none"
        and row.condition in intake.conditions
        and intake.setting in row.settings
    ]
    caps: dict[str, Any] = {}
    factor = 1.0
    for rule in KB.rules.rules:
        if not plain_fires(rule.when, intake):
            continue
        for effect in rule.effects:
            if not selects(effect.treatments, treatment):
                continue
            for concern in intake.concerns:
                if effect.evidence and concern in rule.when.concerns_any:
                    caps[concern] = weaker(caps.get(concern, "high"), effect.evidence)
            factor *= effect.fit_factor or 1.0
            said.append((effect.text, effect.status))
    for row in treatment.indications:
        elsewhere = row.basis is not None and intake.setting not in row.basis.settings
        if elsewhere and row.concern in intake.concerns and not at_least("very_low", row.evidence):
            caps[row.concern] = weaker(caps.get(row.concern, "high"), "very_low")
    evidence = tuple(
        (concern, cap(treatment.evidence_for(concern), caps.get(concern)))
        for concern in intake.concerns
    )
    statuses = [status for _, status in said if status is not None]
    if all(level in ("not_indicated", "advised_against") for _, level in evidence):
        statuses.append("not_suitable")
    status = max(statuses, key=STRICTNESS.__getitem__, default="suitable")
    return status, evidence, factor, said


@given(intakes)
def test_compiled_screening_matches_a_plain_walk_of_the_knowledge_base(
    data: dict[str, Any],
) -> None:
    intake = parse_intake(KB, data)
    for treatment in KB.treatments.values():
        got = screen(KB, intake, treatment)
        status, evidence, factor, said = plain_screen(intake, treatment)
        assert (got.status, got.evidence) == (status, evidence), treatment.id
        assert got.fit_factor == pytest.approx(factor)
        not_evidence = [(r.text, r.status) for r in got.reasons if r.kind != "evidence"]
        assert not_evidence == said, treatment.id


def test_a_treatment_that_is_not_the_knowledge_bases_own_is_screened_from_its_own_data() -> None:
    needling = KB.treatments["microneedling"]
    rows = tuple(
        replace_row if row.condition == "pregnant" else row
        for row in needling.contraindications
        for replace_row in [row.model_copy(update={"text": "Changed for this test."})]
    )
    edited = needling.model_copy(update={"contraindications": rows})
    intake = parse_intake(KB, {"age": 30, "concerns": ["acne-scars"], "conditions": ["pregnant"]})
    texts = [r.text for r in screen(KB, intake, edited).reasons]
    assert "Changed for this test." in texts
    assert "Changed for this test." not in [r.text for r in screen(KB, intake, needling).reasons]


def test_the_tables_are_compiled_once_per_knowledge_base() -> None:
    assert tables(KB) is tables(KB)
    other = replace(KB)  # equal content, another object: its own tables
    assert tables(other) is not tables(KB)
    assert tables(other).treatments[0].rows == tables(KB).treatments[0].rows


@given(st.integers(0, 3))
def test_the_cache_is_bounded_and_transparent(limit: int) -> None:
    calls: list[object] = []

    def build(source: object) -> tuple[object, int]:
        calls.append(source)
        return (source, len(calls))

    sources = [object() for _ in range(5)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(compiled_module, "_CACHE", {})
        patch.setattr(compiled_module, "_LIMIT", limit)
        for source in sources + sources:
            assert compiled(source, build)[0] is source
            assert len(compiled_module._CACHE) <= max(limit, 1)
    assert len(calls) == (5 if limit >= 5 else 10)


def plain_unsure_restrictions(
    intake: Intake, treatment: Treatment, condition: str, kb: KnowledgeBase = KB
) -> list[Any]:
    """What stating ``condition`` would add: the full screen again, minus what is already there."""
    base = screen(kb, intake, treatment)
    stated = tuple(sorted({*intake.conditions, condition}))
    what_if = intake.model_copy(update={"conditions": stated, "unsure": ()})
    known = set(base.reasons)
    return [r for r in screen(kb, what_if, treatment).reasons if r.status and r not in known]


@given(intakes, st.lists(st.sampled_from(sorted(KB.conditions)), min_size=1, max_size=8))
def test_unsure_conditions_add_what_a_full_screen_would(
    data: dict[str, Any], unsure: list[str]
) -> None:
    unsure = sorted(set(unsure) - set(data.get("conditions", ())))
    intake = parse_intake(KB, {**data, "unsure": unsure})
    what_ifs = hypotheses(KB, intake)
    for treatment in KB.treatments.values():
        base = screen(KB, intake, treatment)
        settled = settle_unsure(KB, treatment, base, what_ifs)
        expected = []
        for condition in unsure:
            added = plain_unsure_restrictions(intake, treatment, condition)
            if added:
                refs = tuple(dict.fromkeys(ref for r in added for ref in r.references))
                expected.append((KB.conditions[condition].question.strip(), refs))
        got = [
            (reason.text, reason.references)
            for reason in settled.reasons
            if reason.kind == "unsure"
        ]
        assert len(got) == len(expected), treatment.id
        for (text, refs), (question, expected_refs) in zip(got, expected, strict=True):
            assert question in text
            assert refs == expected_refs
        assert settled.status == (
            stricter(base.status, "doctor_review") if expected else base.status
        )


def test_an_unsure_condition_on_a_treatment_that_is_not_the_knowledge_bases_own() -> None:
    needling = KB.treatments["microneedling"].model_copy()
    intake = parse_intake(KB, {"age": 30, "concerns": ["acne-scars"], "unsure": ["pregnant"]})
    settled = settle_unsure(KB, needling, screen(KB, intake, needling), hypotheses(KB, intake))
    assert settled.status == "doctor_review"
    assert [r.kind for r in settled.reasons if r.status == "doctor_review"] == ["unsure"]


def test_an_unsure_condition_whose_rule_caps_the_evidence_is_screened_in_full() -> None:
    """No rule of the packaged data caps evidence on a condition; one added here does.

    Stating the condition would then make every concern "not indicated", so a
    yes would rule the treatment out: the unsure reason must say so, as a full
    screen of the hypothesis does.
    """
    capping = Rule(
        id="R99",
        title="A test rule",
        when=RuleTrigger(conditions_any=("pregnant",), concerns_any=("acne-scars",)),
        effects=(
            RuleEffect(
                treatments=TreatmentSelector(all=True),
                evidence="not_indicated",
                kind="note",
                text="Not studied in this condition (test).",
            ),
        ),
        references=("s34",),
    )
    kb = replace(KB, rules=KB.rules.model_copy(update={"rules": (*KB.rules.rules, capping)}))
    intake = parse_intake(kb, {"age": 30, "concerns": ["acne-scars"], "unsure": ["pregnant"]})
    peel = kb.treatments["chemical-peel"]
    settled = settle_unsure(kb, peel, screen(kb, intake, peel), hypotheses(kb, intake))
    added = plain_unsure_restrictions(intake, peel, "pregnant", kb)
    assert "not_suitable" in [r.status for r in added]
    unsure = [r for r in settled.reasons if r.kind == "unsure"]
    assert len(unsure) == 1
    assert "would rule this treatment out" in unsure[0].text
    assert unsure[0].references == tuple(dict.fromkeys(f for r in added for f in r.references))


def test_an_unsure_condition_whose_row_is_already_stated_adds_nothing() -> None:
    """Two conditions with the very same row: stating one, being unsure of the other adds nothing.

    Packaged rows differ in text from condition to condition, so this builds a
    knowledge base where breastfeeding's microneedling row is pregnancy's.
    """
    needling = KB.treatments["microneedling"]
    pregnant = next(r for r in needling.contraindications if r.condition == "pregnant")
    rows = tuple(
        pregnant.model_copy(update={"condition": "breastfeeding"})
        if row.condition == "breastfeeding"
        else row
        for row in needling.contraindications
    )
    edited = needling.model_copy(update={"contraindications": rows})
    kb = replace(KB, treatments={**KB.treatments, "microneedling": edited})
    data = {"age": 30, "concerns": ["acne-scars"], "conditions": ["pregnant"]}
    intake = parse_intake(kb, {**data, "unsure": ["breastfeeding"]})
    base = screen(kb, intake, edited)
    settled = settle_unsure(kb, edited, base, hypotheses(kb, intake))
    assert plain_unsure_restrictions(intake, edited, "breastfeeding", kb) == []
    assert settled == base


def plain_fires(trigger: RuleTrigger, intake: Intake) -> bool:
    """A trigger read field by field from the schema: every given field must hold."""
    prefs = intake.preferences
    checks = [
        trigger.age_below is None or intake.age < trigger.age_below,
        not trigger.concerns_any or any(c in trigger.concerns_any for c in intake.concerns),
        not trigger.conditions_any or any(c in trigger.conditions_any for c in intake.conditions),
        not any(c in trigger.conditions_none for c in intake.conditions),
        not trigger.sex or intake.sex in trigger.sex,
        trigger.fitzpatrick_at_least is None
        or (intake.fitzpatrick is not None and intake.fitzpatrick >= trigger.fitzpatrick_at_least),
        not trigger.settings or intake.setting in trigger.settings,
        trigger.avoid_needles is None or prefs.avoid_needles == trigger.avoid_needles,
        trigger.avoid_injections is None or prefs.avoid_injections == trigger.avoid_injections,
    ]
    return all(checks)


@given(intakes)
def test_active_rules_are_the_rules_whose_trigger_holds(data: dict[str, Any]) -> None:
    intake = parse_intake(KB, data)
    assert active_rules(KB, intake) == [r for r in KB.rules.rules if plain_fires(r.when, intake)]
    assert all(fires(r.when, intake) == plain_fires(r.when, intake) for r in KB.rules.rules)

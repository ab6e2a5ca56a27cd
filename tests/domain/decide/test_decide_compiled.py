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
from treatwise.domain.decide.screening import LEVEL_STATUS, cap, fires, selects, tables
from treatwise.knowledge.schema import Treatment
from treatwise.knowledge.vocabulary import STRICTNESS, at_least, weaker

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
        if not fires(rule.when, intake):
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

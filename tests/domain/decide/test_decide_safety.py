"""Issue 11 in the decision aid: setting directness, the invasiveness tie-break, ``indicated_for``.

Tests that need data the knowledge base may not hold yet (a ``basis``) build it on a
copy of one treatment (``model_copy``), so they test the code, not today's data.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType
from typing import Any

import pytest

from treatwise.domain.decide import parse_intake, screen
from treatwise.domain.decide.scoring import invasiveness_rank, rank_key
from treatwise.domain.decide.screening import selects
from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import INVASIVENESS, Basis, Treatment, TreatmentSelector


def with_basis(kb: KnowledgeBase, treatment_id: str, concern: str, **basis: Any) -> KnowledgeBase:
    """A copy of the KB where one indication of one treatment is moderate, with this basis."""
    treatment = kb.treatments[treatment_id]
    indications = tuple(
        ind.model_copy(update={"evidence": "moderate", "basis": Basis.model_validate(basis)})
        if ind.concern == concern
        else ind
        for ind in treatment.indications
    )
    changed = treatment.model_copy(update={"indications": indications})
    return dataclasses.replace(
        kb, treatments=MappingProxyType({**kb.treatments, treatment_id: changed})
    )


def evidence_of(kb: KnowledgeBase, treatment_id: str, **fields: Any) -> tuple[str, list[str]]:
    intake = parse_intake(kb, {"age": 35, "concerns": ["acne-scars"], **fields})
    result = screen(kb, intake, kb.treatments[treatment_id])
    texts = [r.text for r in result.reasons if r.kind == "evidence"]
    return dict(result.evidence)["acne-scars"], texts


def _clinic_trials(kb: KnowledgeBase, settings: list[str]) -> KnowledgeBase:
    """Microneedling for acne scars resting on 4 trials (200 people) done in these settings."""
    basis = {"design": "rct", "trials": 4, "participants": 200, "settings": settings}
    return with_basis(kb, "microneedling", "acne-scars", **basis)


def test_home_use_lowers_clinic_evidence_to_very_low_and_says_why(kb: KnowledgeBase) -> None:
    changed = _clinic_trials(kb, ["medical"])
    level, texts = evidence_of(changed, "microneedling", setting="home")
    assert level == "very_low"
    assert (
        "Acne scars, at home: the studies of microneedling were done in a clinic, and there "
        "are none at home, so for you the evidence is very low."
    ) in texts


def test_a_setting_the_studies_covered_keeps_the_grade(kb: KnowledgeBase) -> None:
    changed = _clinic_trials(kb, ["medical", "salon"])
    for setting in ("medical", "salon"):
        level, texts = evidence_of(changed, "microneedling", setting=setting)
        assert level == "moderate"
        assert not any("there are none" in t for t in texts)


def test_the_setting_lowers_only_the_concern_whose_studies_missed_it(kb: KnowledgeBase) -> None:
    changed = with_basis(
        kb,
        "topical-retinoid",
        "acne-scars",
        design="rct",
        trials=4,
        participants=200,
        settings=["medical"],
    )
    intake = parse_intake(
        changed, {"age": 35, "concerns": ["acne-scars", "fine-lines"], "setting": "home"}
    )
    result = dict(screen(changed, intake, changed.treatments["topical-retinoid"]).evidence)
    assert result["acne-scars"] == "very_low"
    before = dict(screen(kb, intake, kb.treatments["topical-retinoid"]).evidence)
    assert result["fine-lines"] == before["fine-lines"]


def test_without_a_basis_the_setting_changes_nothing(kb: KnowledgeBase) -> None:
    treatment = kb.treatments["microneedling"]
    bare = treatment.model_copy(
        update={
            "indications": tuple(
                i.model_copy(update={"basis": None}) for i in treatment.indications
            )
        }
    )
    changed = dataclasses.replace(
        kb, treatments=MappingProxyType({**kb.treatments, "microneedling": bare})
    )
    home, _ = evidence_of(changed, "microneedling", setting="home")
    medical, _ = evidence_of(changed, "microneedling", setting="medical")
    assert home == medical


def _treatment(
    kb: KnowledgeBase, tid: str, level: str | None, new_id: str | None = None
) -> Treatment:
    update: dict[str, Any] = {"invasiveness": level}
    if new_id:
        update["id"] = new_id
    return kb.treatments[tid].model_copy(update=update)


def test_ties_break_by_lower_invasiveness_before_id(kb: KnowledgeBase) -> None:
    laser = _treatment(kb, "fractional-laser", "ablative")
    needling = _treatment(kb, "microneedling", "needling")
    keys = sorted([rank_key(0, 0.75, laser), rank_key(0, 0.75, needling)])
    assert [k[-1] for k in keys] == ["microneedling", "fractional-laser"]


def test_fit_and_status_group_come_before_invasiveness(kb: KnowledgeBase) -> None:
    topical = _treatment(kb, "topical-retinoid", "topical")
    laser = _treatment(kb, "fractional-laser", "ablative")
    assert rank_key(0, 0.8, laser) < rank_key(0, 0.75, topical)
    assert rank_key(0, 0.1, laser) < rank_key(1, 0.9, topical)


def test_a_treatment_without_a_level_counts_as_most_invasive(kb: KnowledgeBase) -> None:
    unknown = _treatment(kb, "chemical-peel", None, new_id="aa-unknown")
    ablative = _treatment(kb, "fractional-laser", "ablative", new_id="zz-ablative")
    assert invasiveness_rank(unknown) == len(INVASIVENESS)
    assert rank_key(0, 0.5, ablative) < rank_key(0, 0.5, unknown)


def test_same_level_ties_break_by_id(kb: KnowledgeBase) -> None:
    a = _treatment(kb, "microneedling", "needling")
    b = _treatment(kb, "rf-microneedling", "needling")
    assert rank_key(0, 0.5, a) < rank_key(0, 0.5, b)


@pytest.mark.parametrize("level", INVASIVENESS)
def test_invasiveness_rank_follows_the_schema_order(kb: KnowledgeBase, level: str) -> None:
    assert invasiveness_rank(_treatment(kb, "prp", level)) == INVASIVENESS.index(level)


def test_indicated_for_selects_every_treatment_used_for_the_concern(kb: KnowledgeBase) -> None:
    selector = TreatmentSelector(indicated_for=("hair-loss",))
    picked = {t.id for t in kb.treatments.values() if selects(selector, t)}
    expected = {
        t.id for t in kb.treatments.values() if t.evidence_for("hair-loss") != "not_indicated"
    }
    assert picked == expected
    assert "topical-minoxidil" in picked
    assert "cryolipolysis" not in picked


def test_indicated_for_counts_advised_against_as_a_use(kb: KnowledgeBase) -> None:
    """An option advised against for the concern is still one the person may be offered."""
    meso = kb.treatments["mesotherapy"]
    assert meso.evidence_for("cellulite") == "advised_against"
    assert selects(TreatmentSelector(indicated_for=("cellulite",)), meso)


def test_indicated_for_ignores_a_treatment_silent_on_the_concern(kb: KnowledgeBase) -> None:
    retinoid = kb.treatments["topical-retinoid"]
    assert retinoid.evidence_for("double-chin") == "not_indicated"
    assert not selects(TreatmentSelector(indicated_for=("double-chin",)), retinoid)


def test_assess_ranks_with_rank_key(kb: KnowledgeBase) -> None:
    from treatwise.domain.decide import assess

    group = {"suitable": 0, "caution": 0, "doctor_review": 1, "wait": 2, "not_suitable": 3}
    for concerns in (["double-chin"], ["acne-scars"], ["hair-loss"], ["cellulite"]):
        result = assess(kb, parse_intake(kb, {"age": 35, "concerns": concerns}))
        keys = [
            rank_key(group[o.status], o.fit, kb.treatments[o.treatment]) for o in result.options
        ]
        assert keys == sorted(keys), concerns

"""The mesotherapy data file: complete, safe where the research says so, and fully cited.

Most tests parse the file with the schema models directly, so a broken sibling file
does not hide a problem here; the last ones check it inside the loaded knowledge base.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.datakit import DATA, STRICTNESS, cited_ids, parse_treatment, read_yaml

from treatwise.knowledge import KnowledgeBase
from treatwise.knowledge.schema import Reference, Treatment
from treatwise.knowledge.vocabulary import CONCERN_IDS, CONDITION_IDS, TREATMENT_IDS

FILE = DATA / "treatments" / "mesotherapy.yaml"

# condition -> (level, rule) from the R01–R32 table of research/domain-facts.md section 6,
# for the setting that a person who follows Treatwise's advice uses (a medical service).
EXPECTED_MEDICAL: dict[str, tuple[str, str | None]] = {
    # Issue 11: pregnancy and breastfeeding are temporary states (red flag "wait").
    "pregnant": ("temporary", "R01"),
    "breastfeeding": ("temporary", "R01"),
    "active-skin-infection": ("temporary", "R02"),
    "active-cold-sore": ("temporary", "R03"),
    "cold-sore-history": ("doctor_review", "R04"),
    "isotretinoin-current": ("doctor_review", "R06"),
    "isotretinoin-recent": ("doctor_review", "R07"),
    "keloid-tendency": ("doctor_review", "R08"),
    "anticoagulants": ("absolute", "R09"),
    "bleeding-disorder": ("absolute", "R09"),
    "immunosuppressed": ("doctor_review", "R10"),
    "recent-radiation": ("doctor_review", "R10"),
    "uncontrolled-diabetes": ("doctor_review", "R11"),
    "active-dermatitis": ("temporary", "R12"),
    "suspicious-lesion": ("absolute", "R13"),
    "injectable-ingredient-allergy": ("absolute", "R15"),
    "pacemaker": ("doctor_review", "R16"),
    "autoimmune-disease": ("doctor_review", "R18"),
    "lidocaine-allergy": ("doctor_review", None),
}


@pytest.fixture(scope="module")
def meso() -> Treatment:
    return parse_treatment(FILE)


def test_file_parses_and_id_matches_file_name(meso: Treatment) -> None:
    assert meso.id == FILE.stem == "mesotherapy"
    assert meso.modality.needles and meso.modality.injection
    assert not meso.modality.home_use


def test_every_vocabulary_concern_has_exactly_one_indication(meso: Treatment) -> None:
    concerns = [indication.concern for indication in meso.indications]
    assert sorted(concerns) == sorted(CONCERN_IDS)
    for indication in meso.indications:
        assert len(indication.uncertainty) > 40, indication.concern


def test_fat_and_cellulite_are_advised_against(meso: Treatment) -> None:
    for concern in ("cellulite", "localized-fat", "double-chin"):
        assert meso.evidence_for(concern) == "advised_against", concern


def test_evidence_contrast_between_supported_and_unsupported_uses(meso: Treatment) -> None:
    assert meso.evidence_for("dull-dehydrated-skin") == "low"
    assert meso.evidence_for("melasma") == "low"
    assert meso.evidence_for("fine-lines") == "very_low"
    assert meso.evidence_for("skin-laxity") == "very_low"
    # No level above "low": no use has several consistent, adequately sized RCTs.
    assert {i.evidence for i in meso.indications} <= {
        "low",
        "very_low",
        "not_indicated",
        "advised_against",
    }


def test_contraindications_follow_the_rule_table(meso: Treatment) -> None:
    medical = {c.condition: c for c in meso.contraindications if "medical" in c.settings}
    for condition, (level, rule) in EXPECTED_MEDICAL.items():
        row = medical.get(condition)
        assert row is not None, f"missing contraindication for {condition}"
        assert (row.level, row.rule) == (level, rule), condition


def test_contraindication_conditions_exist_and_settings_do_not_loosen(meso: Treatment) -> None:
    for row in meso.contraindications:
        assert row.condition in CONDITION_IDS, row.condition
    rows_by_condition: dict[str, list[tuple[str, int]]] = {}
    for row in meso.contraindications:
        for setting in row.settings:
            rows_by_condition.setdefault(row.condition, []).append((setting, STRICTNESS[row.level]))
    for condition, rows in rows_by_condition.items():
        settings = [setting for setting, _ in rows]
        assert len(settings) == len(set(settings)), f"{condition}: overlapping settings"
        by_setting = dict(rows)
        if "medical" in by_setting:
            for other in ("salon", "home"):
                assert by_setting.get(other, 0) >= by_setting["medical"], condition


def test_serious_harms_are_present_with_figures(meso: Treatment) -> None:
    serious = {s.name: s for s in meso.side_effects if s.severity == "serious"}
    infection = next(s for name, s in serious.items() if "mycobacterial" in name)
    assert infection.frequency is not None
    assert "17 of 77" in infection.frequency and "15 cases" in infection.frequency
    names = " ".join(serious).lower()
    for harm in ("panniculitis", "necrosis", "hair loss", "liver"):
        assert harm in names, harm


def test_regulation_names_the_key_decisions(meso: Treatment) -> None:
    text = " ".join(entry.text for entry in meso.regulation)
    for needle in ("2010", "lipodissolve", "deoxycholic acid", "2011-382", "Conseil d'État"):
        assert needle in text, needle
    assert len(meso.regulation) >= 3


def test_never_advises_stopping_prescribed_blood_thinners(meso: Treatment) -> None:
    texts = [step.text for step in meso.procedure.preparation]
    texts += [row.text for row in meso.contraindications if row.condition == "anticoagulants"]
    assert any("Never stop" in text for text in texts)


def test_disagreements_each_give_a_safer_reading(meso: Treatment) -> None:
    assert len(meso.disagreements) >= 3
    topics = " ".join(d.topic for d in meso.disagreements).lower()
    for needle in ("facial", "hair", "france"):
        assert needle in topics, needle


def test_plan_inputs_are_consistent(meso: Treatment) -> None:
    procedure = meso.procedure
    assert procedure.interval_weeks is not None
    assert (procedure.sessions.min, procedure.sessions.max) == (3, 6)
    assert (procedure.interval_weeks.min, procedure.interval_weeks.max) == (2, 4)
    days = [(step.day_from, step.day_to) for step in meso.aftercare]
    assert days == sorted(days)
    assert meso.cost is not None and (meso.cost.min_usd, meso.cost.max_usd) == (250, 600)


def test_combinations_point_to_known_treatments(meso: Treatment) -> None:
    for combination in meso.combinations:
        assert combination.with_ in TREATMENT_IDS
        assert set(combination.concerns) <= set(CONCERN_IDS)
    assert any(c.with_ == "microneedling" and "melasma" in c.concerns for c in meso.combinations)


def test_every_reference_resolves_in_the_loaded_knowledge_base(kb: KnowledgeBase) -> None:
    cited = set(cited_ids(read_yaml(FILE)))
    missing = sorted(cited - set(kb.references))
    assert not missing, f"unresolved references: {missing}"
    loaded = kb.treatment("mesotherapy")
    assert loaded == parse_treatment(FILE)


def test_every_contraindication_condition_and_concern_is_in_the_knowledge_base(
    kb: KnowledgeBase,
) -> None:
    meso = kb.treatment("mesotherapy")
    assert {row.condition for row in meso.contraindications} <= set(kb.conditions)
    assert {i.concern for i in meso.indications} == set(kb.concerns) & set(CONCERN_IDS)


def test_own_references_are_low_quality_practice_sources() -> None:
    own = Path(DATA / "references" / "mesotherapy.yaml")
    items = read_yaml(own)["references"]
    for item in items:
        ref = Reference.model_validate(item)
        assert ref.id.startswith("x-meso-")
        assert (ref.study_type, ref.quality) == ("clinic-page", "low")

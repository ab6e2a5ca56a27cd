"""Each rule R01–R32 of research/domain-facts.md section 6, read column by column for
microneedling and mesotherapy, against the decision aid.

Codes map to statuses as issue 3 says: DO_NOT_OFFER → not_suitable, DEFER → wait,
DOCTOR_REVIEW → doctor_review, OFFER_WITH_CAUTION → caution; NOT_SUPPORTED and
WEAK_EVIDENCE are evidence levels; SEE_DOCTOR_FIRST is a ``see_doctor`` red flag.
Where the table allows two readings (R11 "DOCTOR_REVIEW / DEFER"), either passes; where
it says "—" or nothing, the status is not checked (None).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from treatwise.domain.decide import Assessment

Decide = Callable[[dict[str, Any]], Assessment]
BASE: dict[str, Any] = {"age": 35, "fitzpatrick": 2, "concerns": ["acne-scars", "fine-lines"]}
NS, WAIT, DR, CAUTION = "not_suitable", "wait", "doctor_review", "caution"

# rule, change to BASE, microneedling, mesotherapy
TABLE: list[tuple[str, dict[str, Any], Any, Any]] = [
    # R01: pregnancy and breastfeeding are temporary states, so "wait" (issue 11; the
    # conditions' red flag is "wait"; device labelling s34, mesotherapy sources s120, s124).
    ("R01", {"conditions": ["pregnant"]}, WAIT, WAIT),
    ("R01", {"conditions": ["breastfeeding"]}, WAIT, WAIT),
    ("R02", {"conditions": ["active-skin-infection"]}, WAIT, WAIT),
    ("R03", {"conditions": ["active-cold-sore"]}, WAIT, WAIT),
    ("R04", {"conditions": ["cold-sore-history"]}, DR, DR),
    ("R05", {"conditions": ["active-inflammatory-acne"]}, WAIT, WAIT),
    ("R06", {"conditions": ["isotretinoin-current"]}, DR, DR),
    ("R06", {"conditions": ["isotretinoin-current"], "setting": "salon"}, NS, NS),
    ("R06", {"conditions": ["isotretinoin-current"], "setting": "home"}, NS, NS),
    ("R07", {"conditions": ["isotretinoin-recent"]}, DR, DR),
    ("R08", {"conditions": ["keloid-tendency"]}, DR, DR),
    ("R09", {"conditions": ["anticoagulants"]}, DR, NS),
    ("R09", {"conditions": ["bleeding-disorder"]}, NS, NS),
    ("R10", {"conditions": ["immunosuppressed"]}, DR, DR),
    ("R10", {"conditions": ["recent-radiation"]}, DR, DR),
    ("R11", {"conditions": ["uncontrolled-diabetes"]}, (DR, WAIT), DR),
    ("R12", {"conditions": ["active-dermatitis"]}, WAIT, WAIT),
    ("R13", {"conditions": ["suspicious-lesion"]}, NS, NS),
    ("R14", {"conditions": ["nickel-allergy"]}, DR, None),
    ("R14", {"conditions": ["lidocaine-allergy"]}, DR, None),
    ("R15", {"conditions": ["injectable-ingredient-allergy"]}, None, NS),
    ("R16", {"conditions": ["pacemaker"]}, DR, DR),
    ("R18", {"conditions": ["autoimmune-disease"]}, DR, DR),
    ("R19", {"age": 17}, NS, NS),
    ("R19", {"age": 0}, NS, NS),
    ("R20", {"fitzpatrick": 4}, CAUTION, CAUTION),
    ("R20", {"fitzpatrick": 6}, CAUTION, CAUTION),
    ("R21", {"concerns": ["melasma"]}, DR, DR),
    ("R21", {"concerns": ["melasma", "acne-scars"]}, DR, DR),
    ("R22", {"concerns": ["cellulite"]}, NS, NS),
    ("R23", {"concerns": ["localized-fat"]}, NS, NS),
    ("R23", {"concerns": ["localized-fat", "acne-scars"]}, None, NS),
    ("R24", {"concerns": ["double-chin"]}, NS, NS),
    ("R24", {"concerns": ["double-chin", "acne-scars"]}, None, NS),
    (
        "R25b",
        {"sex": "male", "concerns": ["hair-loss"], "conditions": ["hair-loss-diagnosed"]},
        CAUTION,
        DR,
    ),
    ("R27", {"setting": "salon"}, CAUTION, NS),
    ("R27", {"setting": "home"}, CAUTION, NS),
    ("R32", {"concerns": ["skin-laxity"]}, None, NS),
]


@pytest.mark.parametrize(
    ("rule", "change", "microneedling", "mesotherapy"),
    TABLE,
    ids=[f"{row[0]}-{i}" for i, row in enumerate(TABLE)],
)
def test_each_rule_sets_the_table_status(
    decide: Decide, rule: str, change: dict[str, Any], microneedling: Any, mesotherapy: Any
) -> None:
    options = {o.treatment: o for o in decide({**BASE, **change}).options}
    for treatment, expected in (("microneedling", microneedling), ("mesotherapy", mesotherapy)):
        if expected is None:
            continue
        allowed = expected if isinstance(expected, tuple) else (expected,)
        assert options[treatment].status in allowed, f"{rule} {treatment}"


def test_the_baseline_is_suitable_for_both(decide: Decide) -> None:
    options = {o.treatment: o.status for o in decide(BASE).options}
    assert options["microneedling"] == options["mesotherapy"] == "suitable"
    assert options["rf-microneedling"] == "suitable"


@pytest.mark.parametrize(
    ("change", "treatment", "concern", "levels"),
    [
        ({"concerns": ["cellulite"]}, "microneedling", "cellulite", {"not_indicated"}),
        ({"concerns": ["cellulite"]}, "mesotherapy", "cellulite", {"advised_against"}),
        ({"concerns": ["localized-fat"]}, "microneedling", "localized-fat", {"not_indicated"}),
        ({"concerns": ["localized-fat"]}, "mesotherapy", "localized-fat", {"advised_against"}),
        ({"concerns": ["double-chin"]}, "microneedling", "double-chin", {"not_indicated"}),
        ({"concerns": ["double-chin"]}, "mesotherapy", "double-chin", {"advised_against"}),
        ({"concerns": ["skin-laxity"]}, "microneedling", "skin-laxity", {"very_low"}),
        (
            {"concerns": ["skin-laxity"]},
            "mesotherapy",
            "skin-laxity",
            {"not_indicated", "advised_against"},
        ),
    ],
)
def test_not_supported_and_weak_evidence_cap_the_evidence(
    decide: Decide, change: dict[str, Any], treatment: str, concern: str, levels: set[str]
) -> None:
    result = decide({**BASE, **change})
    option = next(o for o in result.options if o.treatment == treatment)
    evidence = {c.concern: c.evidence for c in option.concerns}
    assert evidence[concern] in levels
    assert result.best != treatment  # never the primary recommendation


@pytest.mark.parametrize(
    ("change", "see_doctor"),
    [
        ({"conditions": ["suspicious-lesion"]}, True),  # R13
        ({"age": 16}, True),  # R19
        ({"concerns": ["hair-loss"], "sex": "male"}, True),  # R25
        (
            {"concerns": ["hair-loss"], "sex": "female", "conditions": ["hair-loss-diagnosed"]},
            True,
        ),  # R26
        (
            {"concerns": ["hair-loss"], "sex": "male", "conditions": ["hair-loss-diagnosed"]},
            False,
        ),  # R25b
        ({"conditions": ["active-inflammatory-acne"]}, True),  # R05: SEE_DOCTOR for acne care
        ({"conditions": ["pregnant"]}, False),  # R01: postpone, a "wait" flag
    ],
)
def test_see_doctor_first(decide: Decide, change: dict[str, Any], see_doctor: bool) -> None:
    result = decide({**BASE, **change})
    assert result.see_doctor_first is see_doctor
    assert see_doctor == any(f.action == "see_doctor" for f in result.red_flags)


def test_r29_r30_notes_cite_their_sources(decide: Decide) -> None:
    option = next(o for o in decide(BASE).options if o.treatment == "microneedling")
    cited = {ref for reason in option.reasons for ref in reason.references}
    assert {"s05", "s06", "s41"} <= cited


@pytest.mark.parametrize("setting", ["salon", "home"])
def test_outside_medicine_injections_and_blood_products_are_never_offered(
    decide: Decide, setting: str
) -> None:
    result = decide(
        {**BASE, "concerns": ["acne-scars", "hair-loss", "double-chin"], "setting": setting}
    )
    statuses = {o.treatment: o.status for o in result.options}
    assert statuses["mesotherapy"] == statuses["prp"] == statuses["deoxycholic-acid"] == NS
    assert statuses["microneedling"] in (CAUTION, DR, WAIT, NS)
    assert all(NS not in {statuses[t] for t in c.treatments} for c in result.combinations)

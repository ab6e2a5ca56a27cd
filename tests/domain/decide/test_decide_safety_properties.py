"""Issue 11's safety properties over generated intakes (Hypothesis; 2,000 examples in CI).

The profiles (``ci``: 2,000 examples, ``dev``: 300) come from this folder's conftest.py.

1. No treatment with a ``not_suitable``, ``wait`` or ``doctor_review`` row for a stated
   condition in the intake's setting, or such a condition rule of rules.yaml that fires
   and selects it, is ever ``suitable`` or ``caution``.
2. With ``suspicious-lesion`` stated (a new, changing or bleeding spot: DermNet and the
   device labelling's exclusion of skin cancer in the area, rule R13), every treatment that
   is not a topical is ``not_suitable``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from test_decide_properties import KB, intakes

from treatwise.domain.decide import assess, parse_intake
from treatwise.domain.decide.screening import LEVEL_STATUS, fires, selects

BLOCKING = frozenset({"not_suitable", "wait", "doctor_review"})
OPEN = frozenset({"suitable", "caution"})


def _blocked(intake: Any) -> dict[str, list[str]]:
    """Treatment id -> what blocks it (rows and firing condition rules), for this intake."""
    out: dict[str, list[str]] = {}
    stated = set(intake.conditions)
    for treatment in KB.treatments.values():
        for row in treatment.restrictions:
            if (
                row.condition in stated
                and intake.setting in row.settings
                and LEVEL_STATUS[row.level] in BLOCKING
            ):
                out.setdefault(treatment.id, []).append(f"row {row.condition}")
        for rule in KB.rules.rules:
            if not set(rule.when.conditions_any) & stated or not fires(rule.when, intake):
                continue
            for effect in rule.effects:
                if effect.status in BLOCKING and selects(effect.treatments, treatment):
                    out.setdefault(treatment.id, []).append(f"rule {rule.id}")
    return out


@given(intakes)
def test_a_blocking_row_or_condition_rule_is_never_suitable_or_caution(
    data: dict[str, Any],
) -> None:
    intake = parse_intake(KB, data)
    result = assess(KB, intake)
    status = {o.treatment: o.status for o in result.options}
    for treatment, why in _blocked(intake).items():
        assert status[treatment] not in OPEN, (treatment, status[treatment], why)


@given(intakes)
def test_a_suspicious_spot_rules_out_every_treatment_but_topicals(data: dict[str, Any]) -> None:
    stated = data.get("conditions", [])
    data = {
        **data,
        "conditions": [
            *stated,
            *(["suspicious-lesion"] if "suspicious-lesion" not in stated else []),
        ],
    }
    result = assess(KB, parse_intake(KB, data))
    for option in result.options:
        if not KB.treatments[option.treatment].modality.topical:
            assert option.status == "not_suitable", option.treatment
